package engine

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/scoring"
)

// TestScoringToFunnelQuickstart scores three leads with the quickstart's
// own rules and follows them through the adapter into the funnel.
//
//	A  a banking VP with a demo request yesterday: fit 25+20+10+15+10 = 80
//	   ≥ 50, engagement ≈ 40 ≥ 30 → lead → mql (rule "mql"), routed, SLA 24h
//	B  already an MQL, no activity: engagement 0 < 10 → recycled to lead
//	   (rule "gone-cold")
//	C  a competitor's domain → disqualified (rule "competitor")
//
// A and C had no stage: by the scoring package's definition they were at
// the first stage, lead, which is their From. Funnel over the quickstart
// stages (lead, mql, sal, sql, opportunity), cohort of the week: A reaches
// lead and mql; B was at mql (its From, entered at the change time since
// no change records it) and so reached lead and mql too; C reaches lead.
// lead 3, mql 2: 2/3. Disqualified 1 (C); recycled 1 (B, mql → lead).
func TestScoringToFunnelQuickstart(t *testing.T) {
	rs, err := scoring.LoadFile(filepath.Join("..", "examples", "quickstart", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stages := Stages(rs)
	if !slices.Equal(stages, []revenue.Stage{"lead", "mql", "sal", "sql", "opportunity"}) {
		t.Fatalf("stages %v", stages)
	}
	at := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
	leads := []map[string]any{
		{"id": "A", "email": "a@bank.com", "domain": "bank.com", "company_size": 4200, "industry": "banking", "country": "US",
			"seniority": "vp", "department": "marketing", "events": []any{map[string]any{"type": "demo_request", "time": "2026-01-11T09:00:00Z"}}},
		{"id": "B", "email": "b@shop.com", "domain": "shop.com", "stage": "mql", "stage_entered_at": "2026-01-05T09:00:00Z"},
		{"id": "C", "email": "c@rivalrev.io", "domain": "rivalrev.io"},
	}
	var changes []record.StageChange
	for _, l := range leads {
		res, err := rs.Score(context.Background(), l, at)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := StageChange(rs, res)
		if !ok {
			t.Fatalf("lead %v: no stage change (stage %q)", l["id"], res.Stage)
		}
		changes = append(changes, c)
	}
	want := []struct{ lead, from, to, rule string }{
		{"A", "lead", "mql", "mql"}, {"B", "mql", "lead", "gone-cold"}, {"C", "lead", "disqualified", "competitor"},
	}
	for i, w := range want {
		c := changes[i]
		if c.LeadID != w.lead || c.From != w.from || c.To != w.to || c.Rule != w.rule || !c.At.Equal(at) {
			t.Errorf("change %d = %+v, want %+v", i, c, w)
		}
	}
	if a := changes[0]; a.Owner == "" || a.Route == "" || !a.Deadline.Equal(at.Add(24*time.Hour)) {
		t.Errorf("A's handoff %+v: want an owner, a route and the 24h SLA deadline", a)
	}
	// One unchanged evaluation gives no stage change.
	res, _ := rs.Score(context.Background(), map[string]any{"id": "D", "email": "d@x.com", "stage": "lead"}, at)
	if _, ok := StageChange(rs, res); ok {
		t.Errorf("unchanged lead gave a stage change")
	}
	week, _ := record.Range(at.AddDate(0, 0, -6), at)
	f, err := revenue.Conversions(context.Background(), Prospects(changes), week, revenue.FunnelCohort, stages, revenue.WithExits(scoring.DisqualifiedStage))
	if err != nil {
		t.Fatal(err)
	}
	if f.Total.Stages[0].Count != 3 || f.Total.Stages[1].Count != 2 || f.Total.Stages[2].Count != 0 {
		t.Errorf("funnel %+v", f.Total.Stages)
	}
	near(t, "lead→mql", f.Total.Conversions[0].Rate.Value, 2.0/3)
	if f.Exits[0].Count != 1 || f.Recycled != 1 {
		t.Errorf("exits %v recycled %d", f.Exits, f.Recycled)
	}
}
