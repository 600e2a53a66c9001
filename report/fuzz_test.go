package report_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/report"
	"github.com/revengine/revengine/revenue"
)

// FuzzWrite feeds hostile labels and extreme amounts: Write never panics,
// never lets a label become markup, never writes a non-finite coordinate,
// and gives the same bytes twice.
func FuzzWrite(f *testing.F) {
	f.Add("paid_search", int64(1200000), int64(300000), int64(40))
	f.Add("<script>alert(1)</script>", int64(-5), int64(0), int64(0))
	f.Add(`" onmouseover="x`, int64(math.MaxInt64), int64(math.MinInt64), int64(math.MaxInt64))
	f.Add("]]><svg onload=x>", int64(1), int64(-1), int64(1))
	f.Fuzz(func(t *testing.T, label string, value, mrrDelta, count int64) {
		usd := money.Currency("USD")
		funnel, err := revenue.FunnelFromCounts(revenue.FunnelCohort, []revenue.StageCount{{Stage: revenue.Stage("lead"), Count: max(count, 0)}, {Stage: revenue.Stage(label + "x"), Count: 0}})
		if err != nil {
			funnel = revenue.Funnel{}
		}
		v := &engine.View{Currency: usd, Granularity: engine.ByMonth, Model: label, Periods: []engine.PeriodView{{
			Period:   record.Month(2026, 3),
			Funnel:   revenue.FunnelReport{Total: funnel},
			Pipeline: engine.Contribution{Total: money.New(value, usd)}, Revenue: engine.Contribution{Total: money.New(value, usd)},
			Attribution: &engine.Attribution{Model: label, ByChannel: []engine.Return{{Key: label, Value: money.New(value, usd), Cost: money.New(mrrDelta, usd)}}},
			MRR: &engine.MRR{StartingMRR: money.New(value, usd), New: money.New(mrrDelta, usd), Expansion: money.New(count, usd), Contraction: money.New(value, usd),
				Churn: money.New(mrrDelta, usd), Reactivation: money.Zero(usd), EndingMRR: money.New(count, usd)},
			Unavailable: []engine.Unavailable{{KPI: "cac", Reason: label}},
		}}}
		var a, b bytes.Buffer
		if err := report.Write(&a, report.Input{Title: label, View: v}); err != nil {
			t.Fatal(err)
		}
		if err := report.Write(&b, report.Input{Title: label, View: v}); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Fatal("two renders differ")
		}
		html := a.String()
		if strings.Contains(html, "<script") || strings.Contains(html, "onload=") && !strings.Contains(label, "onload=") {
			t.Fatalf("label %q became markup", label)
		}
		for _, bad := range []string{`="NaN"`, `="+Inf"`, `="-Inf"`, `="Inf"`} {
			if strings.Contains(html, bad) {
				t.Fatalf("non-finite coordinate %s", bad)
			}
		}
	})
}
