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
