package calibrate

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/revengine/revengine/scoring"
)

const editRules = `# Calibration fixture: comments and order must survive.
version: "1"
name: edit
fields:
  a: {type: bool, default: false}
  b: {type: bool, default: false}
  c: {type: bool, default: false}
scores:
  fit:
    max: 100
    rules:
      - id: a-rule   # the first rule
        when: a
        points: 10
      - {id: b-rule, when: b, points: 10}
      - id: c-rule
        when: c
        points: "5 * 2"  # an expression: never rewritten
stages:
  - id: lead
  - id: mql
    # the handoff
    when: |
      scores.fit >= 15
`

// TestWriteRulesInPlace: a report whose suggestions are 25 for a-rule, 10
// (unchanged) for b-rule and 3 for c-rule, and best thresholds 20 (current
// points) and 30 (suggested points): only the literal points of a-rule and
// the threshold change; every other byte is the original's.
func TestWriteRulesInPlace(t *testing.T) {
	rf, err := ParseRules("rules.yaml", []byte(editRules))
	if err != nil {
		t.Fatal(err)
	}
	rep := &Report{
		Rules: []RuleEffect{
			{Rule: "a-rule", Suggested: 25, Distinguishable: true},
			{Rule: "b-rule", Suggested: 10},
			{Rule: "c-rule", Suggested: 3, Distinguishable: true},
		},
		Regression: &Regression{},
		Models:     []ModelReport{{Model: "fit", Best: &Threshold{Score: 20}, SuggestedBest: &Threshold{Score: 30}}},
		Stages:     &StageReport{Stage: "mql"},
	}
	out, edits, err := WriteRules(rf, rep, WriteThreshold("fit"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(editRules, "points: 10\n      - {id: b", "points: 25\n      - {id: b", 1)
	want = strings.Replace(want, "scores.fit >= 15", "scores.fit >= 30", 1)
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	if len(edits) != 2 || edits[0] != (Edit{Line: 14, Column: 17, Kind: "points", ID: "a-rule", Old: "10", New: "25"}) ||
		edits[1].Kind != "threshold" || edits[1].Old != "scores.fit >= 15" || edits[1].Line != 23 {
		t.Fatalf("edits %+v", edits)
	}
	if _, err := scoring.Parse("out.yaml", out); err != nil {
		t.Fatalf("written rules do not load: %v", err)
	}

	// KeepPoints: only the threshold, with the current points' best.
	out, _, err = WriteRules(rf, rep, WriteThreshold("fit"), KeepPoints())
	if err != nil || string(out) != strings.Replace(editRules, ">= 15", ">= 20", 1) {
		t.Fatalf("KeepPoints: %v\n%s", err, out)
	}
	// OnlyDistinguishable with b-rule distinguishable: now both change.
	rep.Rules[1] = RuleEffect{Rule: "b-rule", Suggested: 4, Distinguishable: true}
	out, _, err = WriteRules(rf, rep, OnlyDistinguishable())
	if err != nil || !strings.Contains(string(out), "{id: b-rule, when: b, points: 4}") {
		t.Fatalf("flow mapping: %v\n%s", err, out)
	}
	// A model the condition does not compare: a placed error.
	_, _, err = WriteRules(rf, rep, WriteThreshold("engagement"))
	var zero *Report
	if err == nil || !errors.Is(err, ErrWrite) {
		t.Fatalf("want ErrWrite, got %v", err)
	}
	if _, _, err := WriteRules(rf, zero); !errors.Is(err, ErrWrite) {
		t.Fatalf("nil report: %v", err)
	}
}

// TestWriteRulesFromRun: calibrate, write, and load the result again.
func TestWriteRulesFromRun(t *testing.T) {
	rf, err := ParseRules("rules.yaml", []byte(editRules))
	if err != nil {
		t.Fatal(err)
	}
	rs := mustParse(t, editRules)
	var leads []map[string]any
	for i := range 400 {
		a, b := i%2 == 0, i%3 == 0
		leads = append(leads, map[string]any{"a": a, "b": b, "c": i%5 == 0, "outcome": a && i%4 == 0 || b && i%7 == 0})
	}
	rep, err := RunLeads(context.Background(), rs, leads, at, WithRules(rf))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rules[0].Rule != "a-rule" || !rep.Rules[0].Literal || rep.Rules[2].Literal || rep.Rules[2].Current != 10 {
		t.Fatalf("rules %+v", rep.Rules)
	}
	out, _, err := WriteRules(rf, rep, WriteThreshold("fit"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scoring.Parse("out.yaml", out); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "# Calibration fixture: comments and order must survive.") ||
		!strings.Contains(string(out), `points: "5 * 2"  # an expression`) {
		t.Fatalf("lost text:\n%s", out)
	}
}

func TestParseRulesErrors(t *testing.T) {
	for _, src := range []string{"", "a: [", "- 1\n", "a: 1\n---\nb: 2\n"} {
		_, err := ParseRules("r.yaml", []byte(src))
		if err == nil || !strings.HasPrefix(err.Error(), "r.yaml:") {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func FuzzParseRules(f *testing.F) {
	f.Add([]byte(editRules))
	f.Add([]byte(scoreRules))
	f.Add([]byte("scores: {m: {rules: [{id: x, points: 1e999}]}}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		rf, err := ParseRules("r.yaml", src)
		if err != nil {
			return
		}
		rep := &Report{Regression: &Regression{}, Stages: &StageReport{Stage: "mql"},
			Models: []ModelReport{{Model: "fit", Best: &Threshold{Score: 1}}}}
		for _, r := range rf.Rules() {
			rep.Rules = append(rep.Rules, RuleEffect{Rule: r.ID, Suggested: 7})
		}
		out, edits, err := WriteRules(rf, rep, WriteThreshold("fit"))
		if err != nil {
			out, edits, err = WriteRules(rf, rep)
		}
		if err == nil && len(edits) == 0 && string(out) != string(src) {
			t.Fatalf("no edits, but the output differs")
		}
	})
}

func FuzzRun(f *testing.F) {
	f.Add([]byte(leadsOf([]float64{30, 20}, []float64{25, 10})))
	f.Add([]byte(`[{"s": 1, "outcome": 5}, {"s": -1e308, "outcome": "LOST "}]`))
	rs := mustParse(f, scoreRules)
	f.Fuzz(func(t *testing.T, in []byte) {
		rep, err := Run(context.Background(), rs, strings.NewReader(string(in)), "l", at, WithWorkers(2))
		if err != nil {
			return
		}
		if rep.Counts.Read != rep.Counts.Rejected+rep.Counts.Open+rep.Counts.Outcomes {
			t.Fatalf("counts %+v", rep.Counts)
		}
		if _, err := json.Marshal(rep); err != nil { // NaN or ±Inf would fail here
			t.Fatal(err)
		}
	})
}
