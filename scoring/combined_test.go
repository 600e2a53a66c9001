package scoring

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A combined score (HubSpot's fit + engagement with a total limit), a model
// that reads another declared after it, and a fast track on fired().
const combinedRules = `version: "1"
fields: {size: int, demo: bool}
scores:
  priority:                 # declared first, reads models declared later
    rules:
      - {id: hot, when: 'scores.total >= 60 && fired("demo-request")', points: 1}
  total:
    sum: [fit, engagement]
    max: 70
  fit:
    max: 50
    rules:
      - {id: big, when: size >= 1000, points: 40}
      - {id: huge, when: size >= 5000, points: 30}
  engagement:
    rules:
      - {id: demo-request, when: demo, points: 25}
      - {id: demo-and-big, when: 'fired("demo-request") && fired("big")', points: 5}
grades:
  - {grade: A, when: scores.total >= 60}
  - {grade: B}
stages:
  - id: lead
  - id: mql
    when: scores.total >= 50
  - id: sql
    when: fired("demo-request") && scores.fit >= 40   # fast track on "demo request fired"
`

func TestCombinedScores(t *testing.T) {
	for _, fast := range []bool{true, false} {
		rs := mustRules(t, combinedRules, WithFastPath(fast))
		tests := []struct {
			lead                        map[string]any
			fit, eng, total, total0, pr float64
			grade, stage                string
		}{
			// size 6000: big 40 + huge 30 = 70, clamped to fit's max 50;
			// demo 25 + demo-and-big 5 = 30; total = 50 + 30 = 80 raw,
			// clamped to 70; priority fires (70 ≥ 60 and demo fired).
			{map[string]any{"size": 6000, "demo": true}, 50, 30, 70, 80, 1, "A", "sql"},
			// size 1000, no demo: fit 40, engagement 0, total 40: lead.
			{map[string]any{"size": 1000, "demo": false}, 40, 0, 40, 40, 0, "B", "lead"},
			// size 10, demo: fit 0, engagement 25, total 25; the fast
			// track needs fit ≥ 40: lead.
			{map[string]any{"size": 10, "demo": true}, 0, 25, 25, 25, 0, "B", "lead"},
		}
		for _, tt := range tests {
			res, err := rs.Score(context.Background(), tt.lead, at)
			if err != nil {
				t.Fatal(err)
			}
			got := func(name string) float64 { v, _ := res.Score(name); return v }
			if got("fit") != tt.fit || got("engagement") != tt.eng || got("total") != tt.total || got("priority") != tt.pr ||
				res.Grade != tt.grade || res.Stage != tt.stage {
				t.Errorf("fast=%v %v: fit %v eng %v total %v priority %v grade %s stage %s", fast, tt.lead,
					got("fit"), got("engagement"), got("total"), got("priority"), res.Grade, res.Stage)
			}
			// Results list models in file order; the combined model's parts
			// are its models' values.
			if res.Scores[1].Name != "total" || res.Scores[1].Raw != tt.total0 || len(res.Scores[1].Contributions()) != 2 ||
				res.Scores[1].Contributions()[0].Score != "fit" || res.Scores[1].Contributions()[0].Points != tt.fit {
				t.Errorf("total: %+v", res.Scores[1])
			}
		}
	}
}

func TestScoreCycles(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"two models", `version: "1"
fields: {size: int}
scores:
  a:
    rules:
      - {id: ra, when: scores.b > 1, points: 1}
  b:
    rules:
      - {id: rb, when: scores.a > 1, points: 1}
`, `rules.yaml:9:24: rule "rb": scores.a makes a cycle of scores: a → b → a`},
		{"sum of itself", `version: "1"
scores:
  a:
    sum: [b]
  b:
    sum: [a]
`, `scores.yaml`},
		{"fired later in the same model", `version: "1"
fields: {size: int}
scores:
  a:
    rules:
      - {id: r1, when: 'fired("r2")', points: 1}
      - {id: r2, when: size > 1, points: 1}
`, `rule "r1": fired("r2"): rule "r2" of the same score comes later`},
		{"rules and sum", `version: "1"
fields: {size: int}
scores:
  a:
    rules:
      - {id: r1, when: size > 1, points: 1}
  b:
    sum: [a, c]
    rules:
      - {id: r2, when: size > 1, points: 1}
`, `unknown score c in sum`},
	}
	for _, tt := range tests {
		name := "rules.yaml"
		if tt.name == "sum of itself" {
			name = "scores.yaml"
		}
		_, err := Parse(name, []byte(tt.src))
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) || e.Line == 0 {
			t.Errorf("%s: %v; want a positioned error containing %q", tt.name, err, tt.want)
		}
	}
}
