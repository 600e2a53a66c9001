package scoring

import (
	"context"
	"testing"
	"time"
)

const decayRules = `version: "1"
fields: {fit: int}
event_types: [demo]
scores:
  fit:
    rules:
      - {id: fit, when: fit > 0, points: fit}
  engagement:
    rules:
      - {id: demo, on: demo, points: 40, half_life: 7d}
grades:
  - {grade: A, when: scores.engagement >= 20}
  - {grade: B}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 50 && scores.engagement >= 30
%s
recycle:
  - {id: gone-cold, when: 'stage == "mql" && scores.engagement < 10', to: lead}
`

// A decaying lead, by hand: a demo 1 day before the evaluation is worth
// 40 × 2^(−age/7d). It is ≥ 30 now (36.3): the lead enters MQL. Grade A
// needs ≥ 20: 40 × 2^(−age/7d) < 20 once age > 7 d, so the grade changes
// just after demo + 7 d = at + 6 d. Without grades the next change is the
// recycle: < 10 once age > 14 d, just after at + 13 d. With a 24 h SLA on
// MQL the first change is the breach, a nanosecond after the deadline.
func TestNextChange(t *testing.T) {
	demo := at.Add(-24 * time.Hour)
	lead := map[string]any{"fit": 60, "events": []any{map[string]any{"type": "demo", "time": demo.Format(time.RFC3339)}}}
	tests := []struct {
		name, stageExtra string
		dropGrades       bool
		want             time.Time
		why              string
	}{
		{"grade decays", "", false, demo.Add(7 * 24 * time.Hour), "grade A → B"},
		{"recycled", "", true, demo.Add(14 * 24 * time.Hour), "stage mql → lead"},
		{"SLA first", "    sla: 24h", false, at.Add(24*time.Hour + time.Nanosecond), "SLA of mql breached"},
	}
	for _, tt := range tests {
		src := decayRules
		src = replaceOnce(src, "%s", tt.stageExtra)
		if tt.dropGrades {
			src = replaceOnce(src, "grades:\n  - {grade: A, when: scores.engagement >= 20}\n  - {grade: B}\n", "")
		}
		for _, fast := range []bool{true, false} {
			rs := mustRules(t, src, WithFastPath(fast))
			res, err := rs.Score(context.Background(), lead, at, WithNextChange(90*24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if res.Stage != "mql" {
				t.Fatalf("%s: stage %s", tt.name, res.Stage)
			}
			// To the second: the change is after the boundary, within 1 s.
			if d := res.NextChangeAt.Sub(tt.want); d < 0 || d > time.Second || res.NextChange != tt.why {
				t.Errorf("%s (fast=%v): next change %v (%q); want just after %v (%q)", tt.name, fast, res.NextChangeAt, res.NextChange, tt.want, tt.why)
			}
		}
	}
	// Nothing changes within a short horizon; and without the option
	// nothing is computed.
	rs := mustRules(t, replaceOnce(decayRules, "%s", ""))
	res, _ := rs.Score(context.Background(), lead, at, WithNextChange(24*time.Hour))
	if !res.NextChangeAt.IsZero() || res.NextChange != "" {
		t.Errorf("1-day horizon: %v %q", res.NextChangeAt, res.NextChange)
	}
	res, _ = rs.Score(context.Background(), lead, at)
	if !res.NextChangeAt.IsZero() {
		t.Errorf("computed without the option: %v", res.NextChangeAt)
	}
}

// A window boundary is found exactly: "3+ views in 7 days" stops holding
// when the oldest of the three is 7 days old (the window excludes it).
func TestNextChangeWindow(t *testing.T) {
	src := `version: "1"
event_types: [view]
scores:
  e:
    rules:
      - {id: freq, when: 'count(events, .type == "view" && .time > at - duration("7d")) >= 3', points: 10}
grades:
  - {grade: A, when: scores.e >= 10}
  - {grade: B}
`
	rs := mustRules(t, src)
	var evs []any
	oldest := at.Add(-50 * time.Hour)
	for _, d := range []time.Duration{50, 20, 2} {
		evs = append(evs, map[string]any{"type": "view", "time": at.Add(-d * time.Hour).Format(time.RFC3339)})
	}
	res, err := rs.Score(context.Background(), map[string]any{"events": evs}, at, WithNextChange(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// At oldest + 7 d exactly, .time > at − 7d is false: the change is at
	// that instant.
	want := oldest.Add(7 * 24 * time.Hour)
	if res.Grade != "A" || !res.NextChangeAt.Equal(want) || res.NextChange != "grade A → B" {
		t.Fatalf("grade %s, next %v %q; want A, %v", res.Grade, res.NextChangeAt, res.NextChange, want)
	}
}

func replaceOnce(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}
