package main

import (
	"encoding/json"
	"flag"
	"math"
	"path/filepath"
	"testing"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
)

var updateKPIs = flag.Bool("update-kpis", false, "rewrite testdata/kpis/*.golden")

var sampleDir = filepath.Join("..", "..", "examples", "kpis", "data")

// TestKPIsSampleEndToEnd: the shipped sample files → revengine kpis --json
// → values checked against a hand computation of 2026-Q1 (the full
// derivation is in engine's TestSampleFunnelAndSpeed and TestSampleMoney):
//
//	funnel lead→mql 5/6 (L1, L2, L3, L5, L6 of six leads)
//	MQL SLA: met L1 (6h), L5 (2h); breached L2 (48h), L3 (168h): 2/4 = 0.5
//	paid_search linear credit 4,000 (D1) + 3,000 (D2) = 7,000 on 3,000 of
//	  spend: ROI (7,000 − 3,000) / 3,000 = 4/3
//	blended CAC (5,000 + 9,000) / 3 won deals = 4,666.67
//	NRR 1,400 / 1,800 = 7/9
func TestKPIsSampleEndToEnd(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "kpis", "--json", "--period", "quarter", sampleDir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v engine.View
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatal(err)
	}
	var q *engine.PeriodView
	for i := range v.Periods {
		if v.Periods[i].Period.String() == "2026-Q1" {
			q = &v.Periods[i]
		}
	}
	if q == nil {
		t.Fatal("no 2026-Q1")
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("lead→mql", q.Funnel.Total.Conversions[0].Rate.Value, 5.0/6)
	for _, s := range q.Speed {
		if s.Stage == "mql" && s.Owner == "" && s.Route == "" {
			near("mql within SLA", *s.WithinSLA, 0.5)
		}
	}
	for _, r := range q.Attribution.ByChannel {
		if r.Key == "paid_search" {
			near("paid_search ROI", r.ROI.Value, 4.0/3)
		}
	}
	if q.CAC.Value != money.New(466_667, "USD") {
		t.Errorf("CAC %v, want USD 4666.67", q.CAC.Value)
	}
	near("NRR", q.MRR.NRR.Value, 7.0/9)
}

func TestKPIsGolden(t *testing.T) {
	bad := filepath.Join("testdata", "kpis", "bad")
	checkGolden(t, "kpis", filepath.Join("testdata", "kpis"), *updateKPIs, []cliCase{
		{name: "sample_quarter", args: []string{"--period", "quarter", sampleDir}},
		{name: "sample_month_json", args: []string{sampleDir, "--json", "--model", "first_touch", "--sla", "lead=48h"}},
		{name: "sample_gross_profit", args: []string{"--period", "quarter", "--roi", "gross_profit", "--margin", "0.8", "--cac", "marketing_only", sampleDir}},
		{name: "sample_with_enps", args: []string{"--period", "quarter", "--survey", filepath.Join("..", "..", "examples", "pulse", "pulse.yaml"),
			"--responses", filepath.Join("..", "..", "examples", "pulse", "responses.csv"), sampleDir}},
		{name: "survey_without_responses", args: []string{"--survey", filepath.Join("..", "..", "examples", "pulse", "pulse.yaml"), sampleDir}},
		{name: "bad_rows", args: []string{bad}},
		{name: "bad_flags", args: []string{"--period", "week", sampleDir}},
		{name: "bad_model", args: []string{"--model", "magic", sampleDir}},
		{name: "no_input", args: []string{}},
	})
}

// TestKPIsScored: results of "revengine score" on the quickstart leads
// (testdata/kpis/scored, scored at 2026-11-23) through --scored and
// --rules. 18 results changed stage (L-1005 and L-1012 stayed MQLs: no
// change, no row). All 18 reached lead; mql: L-1001, 1007 (mql→sal),
// 1008, 1009 (sal→sql), 1011 (mql→lead), 1016, 1018 (sql→opportunity) = 7;
// sal: 1007, 1009, 1018 = 3; sql: 1009, 1018 = 2; opportunity: 1018 = 1.
// lead→mql 7/18; disqualified L-1003, L-1004 = 2; recycled L-1011 = 1.
func TestKPIsScored(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "kpis", "--json", "--rules", filepath.Join("..", "..", "examples", "quickstart", "rules.yaml"),
		"--scored", filepath.Join("testdata", "kpis", "scored", "scored.jsonl"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v engine.View
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Periods) != 1 {
		t.Fatalf("%d periods, want 2026-11 only", len(v.Periods))
	}
	f := v.Periods[0].Funnel
	want := []int64{18, 7, 3, 2, 1}
	if len(f.Total.Stages) != len(want) {
		t.Fatalf("stages %v, want the quickstart's five", f.Total.Stages)
	}
	for i, s := range f.Total.Stages {
		if s.Count != want[i] {
			t.Errorf("%s = %d, want %d", s.Stage, s.Count, want[i])
		}
	}
	if r := f.Total.Conversions[0].Rate.Value; math.Abs(r-7.0/18) > 1e-12 {
		t.Errorf("lead→mql %v, want 7/18", r)
	}
	if f.Exits[0].Count != 2 || f.Recycled != 1 {
		t.Errorf("exits %v recycled %d", f.Exits, f.Recycled)
	}
}
