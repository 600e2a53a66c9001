package scoring

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const historyRules = `version: "1"
fields:
  fit: {type: int, default: 0}
  accepted: {type: bool, default: false}
  accepted_at: time
scores:
  s:
    rules:
      - {id: fit, when: fit > 0, points: fit}
stages:
  - id: lead
  - id: mql
    when: scores.s >= 50
    sla: 24h
    left_at: accepted_at
  - id: sal
    when: accepted
    sla: 48h
`

// Issue: a lead that sat 3 days in MQL under a 24 h SLA and was then
// accepted showed "sal, not breached": the MQL's SLA was lost when it left.
func TestStageHistory(t *testing.T) {
	rs := mustRules(t, historyRules)
	mqlAt := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	now := mqlAt.Add(72 * time.Hour) // evaluated three days later
	score := func(lead map[string]any) *Result {
		t.Helper()
		res, err := rs.Score(context.Background(), lead, now)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// Accepted with no acceptance time: it left MQL at the evaluation,
	// 72 h after entering, past the 24 h deadline: breached.
	res := score(map[string]any{"fit": 60, "accepted": true, "stage": "mql", "stage_entered_at": mqlAt.Format(time.RFC3339)})
	want := StageVisit{Stage: "mql", EnteredAt: mqlAt, LeftAt: now, Within: "24h", Deadline: mqlAt.Add(24 * time.Hour), SLA: SLABreached}
	if res.Stage != "sal" || res.Left == nil || *res.Left != want {
		t.Fatalf("stage %s, left %+v; want sal, %+v", res.Stage, res.Left, want)
	}
	// The new stage's entry and the state to carry: entered now.
	if !res.StageEnteredAt.Equal(now) || res.State != (State{Stage: "sal", EnteredAt: now}) || res.SLA.Deadline != now.Add(48*time.Hour) {
		t.Fatalf("entered %v state %+v sla %+v", res.StageEnteredAt, res.State, res.SLA)
	}
	// With the real acceptance time (left_at: accepted_at), 6 h after MQL:
	// met, although the evaluation is three days later.
	acc := mqlAt.Add(6 * time.Hour)
	res = score(map[string]any{"fit": 60, "accepted": true, "accepted_at": acc.Format(time.RFC3339), "stage": "mql", "stage_entered_at": mqlAt.Format(time.RFC3339)})
	want = StageVisit{Stage: "mql", EnteredAt: mqlAt, LeftAt: acc, Within: "24h", Deadline: mqlAt.Add(24 * time.Hour), SLA: SLAMet}
	if res.Left == nil || *res.Left != want {
		t.Fatalf("left %+v; want %+v", res.Left, want)
	}
	// Exactly at the deadline is met (the SLA is "within 24h").
	res = score(map[string]any{"fit": 60, "accepted": true, "accepted_at": mqlAt.Add(24 * time.Hour).Format(time.RFC3339), "stage": "mql", "stage_entered_at": mqlAt.Format(time.RFC3339)})
	if res.Left.SLA != SLAMet {
		t.Fatalf("at the deadline: %+v", res.Left)
	}
	// A stage without an SLA still reports its entry time.
	res = score(map[string]any{"fit": 60, "stage": "lead", "stage_entered_at": mqlAt.Format(time.RFC3339)})
	if res.Stage != "mql" || res.Left == nil || res.Left.SLA != "" || !res.Left.EnteredAt.Equal(mqlAt) || !res.Left.LeftAt.Equal(now) {
		t.Fatalf("left lead: %+v", res.Left)
	}
	// Staying: no visit, the entry time carried.
	res = score(map[string]any{"fit": 60, "stage": "mql", "stage_entered_at": mqlAt.Format(time.RFC3339)})
	if res.Left != nil || !res.StageEnteredAt.Equal(mqlAt) || !res.SLA.Breached {
		t.Fatalf("stayed: left %+v entered %v sla %+v", res.Left, res.StageEnteredAt, res.SLA)
	}
	// The state round-trips: passed back as "state", the next evaluation
	// starts where this one ended.
	b, _ := json.Marshal(res.State)
	var st map[string]any
	_ = json.Unmarshal(b, &st)
	res2 := score(map[string]any{"fit": 60, "accepted": true, "state": st})
	if res2.Left == nil || res2.Left.Stage != "mql" || !res2.Left.EnteredAt.Equal(mqlAt) || res2.Left.SLA != SLABreached {
		t.Fatalf("from state: %+v", res2.Left)
	}
}

func TestLeftAtMustBeATimeField(t *testing.T) {
	src := `version: "1"
fields: {fit: int, when_accepted: string}
stages:
  - id: lead
  - id: mql
    when: fit > 1
    left_at: when_accepted
  - id: sal
    when: fit > 2
    left_at: acepted_at
`
	_, err := Parse("rules.yaml", []byte(src))
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{"rules.yaml:7:14: stage \"mql\": left_at: field when_accepted is a string, not a time", "rules.yaml:10:14: stage \"sal\": left_at: unknown field acepted_at"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

// The simulation: 4,000 leads reach MQL over a quarter, sales
// accepts each 6–66 h later, and the weekly evaluation after acceptance
// moves them to SAL. Every acceptance later than 24 h is a breach of the
// MQL SLA: with delays 6, 7, …, 66 h cycling, 42 of every 61 (25…66 h).
func TestSLASimulation(t *testing.T) {
	rs := mustRules(t, historyRules)
	start := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	breached, met, want := 0, 0, 0
	for i := range 4000 {
		mqlAt := start.Add(time.Duration(i) * 31 * time.Minute)
		delay := time.Duration(6+i%61) * time.Hour
		if delay > 24*time.Hour {
			want++
		}
		acc := mqlAt.Add(delay)
		// The weekly run after the acceptance.
		week := start.Add(time.Duration(int(acc.Sub(start)/(7*24*time.Hour))+1) * 7 * 24 * time.Hour)
		res, err := rs.Score(context.Background(), map[string]any{"fit": 60, "accepted": true, "accepted_at": acc.Format(time.RFC3339),
			"stage": "mql", "stage_entered_at": mqlAt.Format(time.RFC3339)}, week)
		if err != nil {
			t.Fatal(err)
		}
		switch res.Left.SLA {
		case SLABreached:
			breached++
		case SLAMet:
			met++
		}
	}
	if breached != want || breached+met != 4000 {
		t.Fatalf("breached %d, met %d; want %d breached of 4000", breached, met, want)
	}
}
