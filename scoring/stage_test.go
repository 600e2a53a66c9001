package scoring

import (
	"context"
	"testing"
	"time"
)

// TestDisqualifiedNotRecycledWhileRuleFires: found by an independent
// reference implementation. A disqualify rule that still fires keeps a
// disqualified lead disqualified, even when a recycle rule would fire.
func TestDisqualifiedNotRecycledWhileRuleFires(t *testing.T) {
	rs := mustRules(t, `
version: "1"
fields: {domain: string}
scores: {fit: {rules: [{id: one, points: 1}]}}
stages:
  - id: lead
  - {id: mql, when: "false"}
disqualify:
  - {id: competitor, when: domain == "rival.io"}
recycle:
  - {id: back, when: "true", to: lead}
`)
	tests := []struct {
		lead        map[string]any
		stage, rule string
		changed     bool
	}{
		// disqualified, rule fires: stays, no change.
		{map[string]any{"domain": "rival.io", "stage": DisqualifiedStage}, DisqualifiedStage, "", false},
		// mql, rule fires: disqualified now.
		{map[string]any{"domain": "rival.io", "stage": "mql"}, DisqualifiedStage, "competitor", true},
		// disqualified, rule no longer fires: recycled.
		{map[string]any{"domain": "friend.io", "stage": DisqualifiedStage}, "lead", "back", true},
	}
	for _, tt := range tests {
		res, err := rs.Score(context.Background(), tt.lead, time.Date(2026, 6, 1, 2, 0, 0, 0, time.FixedZone("CEST", 7200)))
		if err != nil {
			t.Fatal(err)
		}
		if res.Stage != tt.stage || res.StageRule != tt.rule || res.StageChanged != tt.changed {
			t.Errorf("%v: stage %q rule %q changed %v; want %q %q %v", tt.lead, res.Stage, res.StageRule, res.StageChanged, tt.stage, tt.rule, tt.changed)
		}
		if res.At.Location() != time.UTC || !res.At.Equal(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("at = %v, want 2026-06-01T00:00:00Z", res.At)
		}
	}
}
