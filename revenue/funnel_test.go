package revenue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
)

func funnelEntry(s Stage, m time.Month, d int) StageChange {
	y := 2024
	if m == time.December {
		y = 2023
	}
	return StageChange{Stage: s, At: Date(y, m, d)}
}

// funnelLeads: L1 skips SAL (reaches it on its SQL day), L5 entered in
// December 2023.
var funnelLeads = []Prospect{
	{ID: "L1", Channel: "web", History: []StageChange{funnelEntry(StageLead, 1, 2), funnelEntry(StageMQL, 1, 5), funnelEntry(StageSQL, 1, 20), funnelEntry(StageOpportunity, 2, 3), funnelEntry(StageWon, 3, 1)}},
	{ID: "L2", Channel: "web", History: []StageChange{funnelEntry(StageLead, 1, 10), funnelEntry(StageMQL, 1, 15)}},
	{ID: "L3", Channel: "web", History: []StageChange{funnelEntry(StageLead, 1, 20)}},
	{ID: "L4", Channel: "events", History: []StageChange{funnelEntry(StageLead, 1, 3), funnelEntry(StageMQL, 1, 4), funnelEntry(StageSAL, 1, 10), funnelEntry(StageSQL, 1, 12)}},
	{ID: "L5", Channel: "events", History: []StageChange{funnelEntry(StageLead, 12, 28), funnelEntry(StageMQL, 1, 2)}},
}

func funnelCounts(f Funnel) []int64 {
	var out []int64
	for _, s := range f.Stages {
		out = append(out, s.Count)
	}
	return out
}

func funnelRates(f Funnel) (stage, cum []float64) {
	for _, c := range f.Conversions {
		if c.Rate == nil {
			stage = append(stage, -1) // undefined
		} else {
			stage = append(stage, c.Rate.Value)
		}
		if c.Cumulative == nil {
			cum = append(cum, -1)
		} else {
			cum = append(cum, c.Cumulative.Value)
		}
	}
	return stage, cum
}

// TestFunnelCohort: January's cohort is L1–L4 (L5 entered in December).
//
//	web:    lead 3, MQL 2 (L1, L2), SAL 1 (L1, implied by SQL), SQL 1, opp 1, won 1
//	events: lead 1, MQL 1, SAL 1, SQL 1, opp 0, won 0
//	pooled: lead 4, MQL 3, SAL 2, SQL 2, opp 1, won 1
//	stage rates 3/4, 2/3, 2/2, 1/2, 1/1; cumulative 3/4, 2/4, 2/4, 1/4, 1/4.
//
// The mean of the channels' lead→MQL rates would be (2/3 + 1)/2 = 0.833;
// the pooled rate is 3/4.
func TestFunnelCohort(t *testing.T) {
	rep, err := Conversions(context.Background(), funnelLeads, Month(2024, time.January), FunnelCohort, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{4, 3, 2, 2, 1, 1}, funnelCounts(rep.Total)); diff != "" {
		t.Errorf("total counts (-want +got):\n%s", diff)
	}
	st, cu := funnelRates(rep.Total)
	for i, w := range []float64{0.75, 2.0 / 3, 1, 0.5, 1} {
		kpiApprox(t, "stage rate", st[i], w)
	}
	for i, w := range []float64{0.75, 0.5, 0.5, 0.25, 0.25} {
		kpiApprox(t, "cumulative", cu[i], w)
	}
	if len(rep.ByChannel) != 2 || rep.ByChannel[0].Channel != "events" || rep.ByChannel[1].Channel != "web" {
		t.Fatalf("channels %+v", rep.ByChannel)
	}
	if diff := cmp.Diff([]int64{1, 1, 1, 1, 0, 0}, funnelCounts(rep.ByChannel[0])); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{3, 2, 1, 1, 1, 1}, funnelCounts(rep.ByChannel[1])); diff != "" {
		t.Errorf("web (-want +got):\n%s", diff)
	}
	// events: opportunity → won is 0/0: undefined, not zero.
	if c := rep.ByChannel[0].Conversions[4]; c.Rate != nil || c.Cumulative == nil || c.Cumulative.Value != 0 {
		t.Errorf("events opp→won %+v", c)
	}
	if _, err := rep.ByChannel[0].Rate(StageOpportunity, StageWon); !errors.Is(err, money.ErrDivisionByZero) {
		t.Errorf("Rate on empty stage: %v", err)
	}
	m, err := rep.Total.Rate(StageMQL, StageWon) // 1/3
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "mql→won", m.Value, 1.0/3)
	if m.Variant != Variant(FunnelCohort) {
		t.Errorf("variant %q", m.Variant)
	}
	if _, err := rep.Total.Rate("churned", StageWon); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("unknown stage: %v", err)
	}
}

// TestFunnelPeriod counts stage entries dated in January, whoever made them:
//
//	lead: L1, L2, L3, L4 = 4 (L5's lead date is in December)
//	MQL: L1, L2, L4, L5 = 4;  SAL: L1 (Jan 20, via SQL), L4 = 2;  SQL: 2
//	opportunity: 0 (L1's is in February); won: 0
//	stage rates 4/4, 2/4, 2/2, 0/2, undefined (0/0).
func TestFunnelPeriod(t *testing.T) {
	rep, err := Conversions(context.Background(), funnelLeads, Month(2024, time.January), FunnelPeriod, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{4, 4, 2, 2, 0, 0}, funnelCounts(rep.Total)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	st, _ := funnelRates(rep.Total)
	if diff := cmp.Diff([]float64{1, 0.5, 1, 0, -1}, st); diff != "" {
		t.Errorf("stage rates (-want +got):\n%s", diff)
	}
	if rep.View != FunnelPeriod || rep.Period != "2024-01" {
		t.Errorf("view %q period %q", rep.View, rep.Period)
	}
	// February: opportunity by L1 only; March: won by L1 only.
	rep, _ = Conversions(context.Background(), funnelLeads, Month(2024, time.February), FunnelPeriod, nil)
	if diff := cmp.Diff([]int64{0, 0, 0, 0, 1, 0}, funnelCounts(rep.Total)); diff != "" {
		t.Errorf("february (-want +got):\n%s", diff)
	}
}

func TestFunnelErrors(t *testing.T) {
	jan := Month(2024, time.January)
	bad := []Prospect{{ID: "x", History: []StageChange{{Stage: "churned", At: Date(2024, 1, 1)}}}}
	noDate := []Prospect{{ID: "x", History: []StageChange{{Stage: StageLead}}}}
	tests := []struct {
		name   string
		leads  []Prospect
		view   FunnelView
		stages []Stage
	}{
		{"unknown stage", bad, FunnelCohort, nil},
		{"no date", noDate, FunnelCohort, nil},
		{"unknown view", nil, "weekly", nil},
		{"one stage", nil, FunnelCohort, []Stage{StageLead}},
		{"duplicate stage", nil, FunnelCohort, []Stage{StageLead, StageLead}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Conversions(context.Background(), tt.leads, jan, tt.view, tt.stages); !errors.Is(err, money.ErrInvalidInput) {
				t.Errorf("err = %v", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Conversions(ctx, funnelLeads, jan, FunnelCohort, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestFunnelNoChannel(t *testing.T) {
	leads := []Prospect{{ID: "x", History: []StageChange{{StageLead, Date(2024, 1, 3)}}}}
	rep, err := Conversions(context.Background(), leads, Month(2024, time.January), FunnelCohort, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ByChannel) != 1 || rep.ByChannel[0].Channel != NoChannel || rep.Total.Channel != "" || rep.Total.Stages[0].Count != 1 {
		t.Errorf("got %+v", rep)
	}
}

// TestConversionsCustomStagesExitsRecycled: the quickstart rules' own
// stages (lead, mql, sal, sql, opportunity) with the disqualified exit and a
// recycle rule. Hand count, cohort of January 2026:
//
//	p1 lead → mql → sal                reaches lead, mql, sal
//	p2 lead → mql → lead (recycled)   reaches lead, mql; recycled
//	p3 lead → disqualified            reaches lead; exit
//	p4 entered in February            not in the cohort
//
// lead 3, mql 2, sal 1, sql 0: lead→mql 2/3, mql→sal 1/2, sal→sql 0/1;
// disqualified 1, recycled 1.
func TestConversionsCustomStagesExitsRecycled(t *testing.T) {
	stages := []Stage{"lead", "mql", "sal", "sql", "opportunity"}
	h := func(s Stage, d int) StageChange { return StageChange{Stage: s, At: Date(2026, 1, d)} }
	leads := []Prospect{
		{ID: "p1", History: []StageChange{h("lead", 2), h("mql", 3), h("sal", 4)}},
		{ID: "p2", History: []StageChange{h("mql", 6), h("lead", 5), h("lead", 20)}},
		{ID: "p3", History: []StageChange{h("lead", 7), h("disqualified", 8)}},
		{ID: "p4", History: []StageChange{{Stage: "lead", At: Date(2026, 2, 1)}}},
	}
	rep, err := Conversions(context.Background(), leads, Month(2026, time.January), FunnelCohort, stages, WithExits("disqualified"))
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{3, 2, 1, 0, 0}
	for i, s := range rep.Total.Stages {
		if s.Count != want[i] {
			t.Errorf("%s = %d, want %d", s.Stage, s.Count, want[i])
		}
	}
	if r := rep.Total.Conversions[0].Rate; r == nil || r.Value != 2.0/3 {
		t.Errorf("lead→mql = %v, want 2/3", r)
	}
	if r := rep.Total.Conversions[1].Rate; r == nil || r.Value != 0.5 {
		t.Errorf("mql→sal = %v, want 1/2", r)
	}
	if len(rep.Exits) != 1 || rep.Exits[0] != (StageCount{"disqualified", 1}) || rep.Recycled != 1 {
		t.Errorf("exits %v recycled %d, want disqualified 1, recycled 1", rep.Exits, rep.Recycled)
	}
	// Without WithExits the exit stage is unknown: an error, not a guess.
	if _, err := Conversions(context.Background(), leads, Month(2026, time.January), FunnelCohort, stages); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}
