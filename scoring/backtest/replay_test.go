package backtest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/scoring"
)

// A log replayed against the rules that wrote it reports no change; against
// changed rules it reports the change.
func TestReplay(t *testing.T) {
	src, err := os.ReadFile("../../examples/quickstart/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := scoring.LoadFile("../../examples/quickstart/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := scoring.NewDecisionLog(&buf)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	leads := []map[string]any{
		{"id": "A", "email": "a@northwind-bank.com", "company_size": 4200, "industry": "banking", "country": "US", "seniority": "vp",
			"events": []any{map[string]any{"type": "demo_request", "time": "2026-11-20T09:00:00Z"}}},
		{"id": "B", "email": "b@x.io", "company_size": 30, "stage": "mql", "stage_entered_at": "2026-11-01T00:00:00Z"},
		{"id": "C", "email": "c@rivalrev.io", "domain": "rivalrev.io"},
	}
	for i, l := range leads {
		if _, err := rs.Score(context.Background(), l, at.Add(time.Duration(i)*time.Hour), scoring.WithDecisionLog(log)); err != nil {
			t.Fatal(err)
		}
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := Replay(context.Background(), rs, bytes.NewReader(buf.Bytes()), "decisions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts.Read != 3 || rep.Counts.Compared != 3 || rep.Stages.Changed != 0 || rep.Grades.Changed != 0 {
		t.Fatalf("same rules: counts %+v, stages changed %d, grades changed %d", rep.Counts, rep.Stages.Changed, rep.Grades.Changed)
	}
	for _, s := range rep.Scores {
		if s.Moves == nil || s.Moves.Up != 0 || s.Moves.Down != 0 || s.Moves.Unchanged != 3 {
			t.Fatalf("same rules: score %s moves %+v", s.Model, s.Moves)
		}
	}
	if rep.Old.Hash != rs.Hash() || rep.Old.File != "decisions.jsonl" {
		t.Fatalf("old side %+v", rep.Old)
	}
	// A stricter MQL threshold moves A (fit 70) back to lead.
	stricter := strings.Replace(string(src), "when: scores.fit >= 50 && (scores.engagement >= 30", "when: scores.fit >= 80 && (scores.engagement >= 30", 1)
	cand, err := scoring.Parse("candidate.yaml", []byte(stricter))
	if err != nil {
		t.Fatal(err)
	}
	rep, err = Replay(context.Background(), cand, bytes.NewReader(buf.Bytes()), "decisions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stages.Changed != 1 {
		t.Fatalf("stricter MQL: %d stage changes, want 1 (lead A)", rep.Stages.Changed)
	}
	// A line that is not a decision is a rejection, counted.
	rep, err = Replay(context.Background(), rs, strings.NewReader(`{"x":1}`+"\n"+buf.String()), "decisions.jsonl")
	if err != nil || rep.Counts.Read != 4 || rep.Counts.RejectedBoth != 1 {
		t.Fatalf("bad line: %+v, %v", rep.Counts, err)
	}
}
