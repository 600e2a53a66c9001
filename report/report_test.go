package report_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/report"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/scoring/backtest"
	"github.com/revengine/revengine/survey"
)

func render(t testing.TB, in report.Input) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, in); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// normalise makes the golden comparison immune to line endings only: the
// report has no clock, no random ids and no map order, so nothing else
// varies.
func normalise(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestGoldenSample(t *testing.T) {
	got := normalise(render(t, sample(t)))
	golden := filepath.Join("testdata", "sample.html.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update)", err)
	}
	if got != normalise(string(want)) {
		t.Errorf("report differs from %s; review with -update and git diff", golden)
	}
}

// TestSizeBudget: the budget for the sample report is 300 KB.
func TestSizeBudget(t *testing.T) {
	n := len(render(t, sample(t)))
	t.Logf("sample report: %d bytes", n)
	if n >= 300*1024 {
		t.Errorf("sample report is %d bytes, over the 300 KB budget", n)
	}
}

func TestDeterministic(t *testing.T) {
	in := sample(t)
	a, b := render(t, in), render(t, sample(t))
	if a != b {
		t.Error("two renders of the same input differ")
	}
}

// TestSelfContained: nothing in the report refers to another resource.
func TestSelfContained(t *testing.T) {
	html := render(t, sample(t))
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "http://", "https://"} {
		if bad == "http://" {
			// the SVG namespace URI is a name, not a fetched resource
			html2 := strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, "")
			if strings.Contains(html2, bad) {
				t.Errorf("report contains %q", bad)
			}
			continue
		}
		if strings.Contains(html, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
}

// TestSampleFigures checks figures of the sample computed by hand from
// examples/kpis/data.
func TestSampleFigures(t *testing.T) {
	html := render(t, sample(t))
	for _, want := range []string{
		// Won revenue of 2026-Q1: D1 12,000.00 + D2 6,000.00 + D5 3,000.00
		// (all closed won in the quarter) = 21,000.00.
		`data-kpi="revenue" data-raw="2100000">USD 21000.00<`,
		// Pipeline created in 2026-Q1: D1..D5, 12,000 + 6,000 + 9,000 +
		// 5,000 + 3,000 = 35,000.00.
		`data-kpi="pipeline" data-raw="3500000">USD 35000.00<`,
		`data-kpi="new_customers" data-raw="3">3<`,
		// Pacing (goal.Pace, linear): D = 31 + 28 + 31 = 90 days, e = 31 +
		// 28 + 15 = 74 on 2026-03-15; expected = 25,000.00 × 74 / 90 =
		// 20,555.555… → 20,555.56; actual = 12,000 + 6,000 = 18,000.00
		// (D5 is after the day), attainment 18,000 / 25,000 = 72.0%.
		"<th scope=\"row\">Expected to date (linear)</th><td>USD 20555.56</td>",
		"<th scope=\"row\">Attainment</th><td>72.0%</td>",
		"74 of 90",
		// MRR bridge, event method (subscriptions.csv): 2026-02 C1 goes
		// 1,000.00 → 1,200.00 (expansion 200.00), C4 starts at 800.00;
		// ending MRR 1,700.00 + 200.00 + 800.00 = 2,700.00.
		"<th scope=\"row\">expansion</th><td>C1</td><td>2026-02-15</td><td>USD 1000.00</td><td>USD 1200.00</td><td>USD 200.00</td>",
		"<th scope=\"row\">End</th><td>USD 2700.00</td>",
		// 2026-03: C2 500.00 → 0: churn 500.00, end 2,200.00.
		"<th scope=\"row\">Churn</th><td>−USD 500.00</td>",
		"<th scope=\"row\">End</th><td>USD 2200.00</td>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	// Every chart is an accessible image: role, title and description.
	svgs := regexp.MustCompile(`<svg [^>]*>`).FindAllString(html, -1)
	if len(svgs) == 0 {
		t.Fatal("no chart")
	}
	for _, s := range svgs {
		if !strings.Contains(s, `role="img"`) || !strings.Contains(s, "aria-labelledby=") {
			t.Errorf("chart without role or label: %s", s)
		}
	}
	if n, d := strings.Count(html, "<title id="), strings.Count(html, "<desc id="); n != len(svgs) || d != len(svgs) {
		t.Errorf("%d charts, %d titles, %d descriptions", len(svgs), n, d)
	}
}

// funnelView is a one-period view with a funnel of 100 leads, 40 MQLs and
// 10 SQLs.
func funnelView(t *testing.T) *engine.View {
	t.Helper()
	f, err := revenue.FunnelFromCounts(revenue.FunnelCohort, []revenue.StageCount{{Stage: "lead", Count: 100}, {Stage: "mql", Count: 40}, {Stage: "sql", Count: 10}})
	if err != nil {
		t.Fatal(err)
	}
	usd := money.Currency("USD")
	return &engine.View{Currency: usd, Granularity: engine.ByMonth, Model: "linear", Periods: []engine.PeriodView{{
		Period:   record.Month(2026, 3),
		Funnel:   revenue.FunnelReport{Total: f},
		Pipeline: engine.Contribution{Total: money.Zero(usd)}, Revenue: engine.Contribution{Total: money.Zero(usd)},
		Unavailable: []engine.Unavailable{{KPI: "cac", Reason: "no new customers"}},
	}}}
}

func TestFunnelConversion(t *testing.T) {
	html := render(t, report.Input{View: funnelView(t)})
	for _, want := range []string{
		// stage to stage: 40 / 100 = 40.0%, 10 / 40 = 25.0%; cumulative
		// (from the first stage): 40 / 100 = 40.0%, 10 / 100 = 10.0%.
		`<tr><th scope="row">mql</th><td>40</td><td>40.0%</td><td>40.0%</td></tr>`,
		`<tr><th scope="row">sql</th><td>10</td><td>25.0%</td><td>10.0%</td></tr>`,
		// the unavailable CAC says why, in the footnotes
		`data-kpi="cac" data-raw="">–<`,
		"unavailable: no new customers",
		// no MRR, no survey, no backtest: no such sections
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	for _, absent := range []string{`id="mrr"`, `id="enps"`, `id="scores"`, `id="pacing"`} {
		if strings.Contains(html, absent) {
			t.Errorf("report has %s without its data", absent)
		}
	}
}

// TestWaterfallGeometry checks the bars of a bridge start 1,000, new +500,
// churn −300, end 1,200 (minor units) on the 240 px chart: the plot is
// 240 − 20 − 40 = 180 px for 0…1,500, so y(v) = 20 + 180·(1500 − v)/1500.
func TestWaterfallGeometry(t *testing.T) {
	v := funnelView(t)
	usd := money.Currency("USD")
	z := money.Zero(usd)
	v.Periods[0].MRR = &engine.MRR{StartingMRR: money.New(1000, usd), New: money.New(500, usd), Expansion: z, Contraction: z,
		Churn: money.New(300, usd), Reactivation: z, EndingMRR: money.New(1200, usd)}
	html := render(t, report.Input{View: v})
	for _, want := range []string{
		// start: y(1000) = 20 + 180·500/1500 = 80, height y(0) − 80 = 200 − 80 = 120
		`<rect x="22.0" y="80.0" width="60.0" height="120.0" fill="#0072B2"><title>Start: USD 10.00</title>`,
		// new: from 1,000 up to 1,500: y(1500) = 20, height 80 − 20 = 60, x = 10 + 12 + (60 + 24)
		`<rect x="106.0" y="20.0" width="60.0" height="60.0" fill="#009E73"><title>New: &#43;USD 5.00</title>`,
		// churn (6th bar, x = 22 + 5·84 = 442): 1,500 down to 1,200: y(1500) = 20, y(1200) = 20 + 36 = 56, height 36
		`<rect x="442.0" y="20.0" width="60.0" height="36.0" fill="#D55E00"><title>Churn: −USD 3.00</title>`,
		// end: y(1200) = 56, height 200 − 56 = 144
		`<rect x="526.0" y="56.0" width="60.0" height="144.0" fill="#0072B2"><title>End: USD 12.00</title>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("waterfall lacks %s", want)
		}
	}
}

// TestSuppressedWave: a wave below the anonymity threshold is shown as
// suppressed and no number of it appears.
func TestSuppressedWave(t *testing.T) {
	v := funnelView(t)
	nps := &survey.NPS{Counts: survey.Counts{Promoters: 6, Passives: 2, Detractors: 2}, N: 10, Score: 40}
	v.Survey = &survey.Report{Survey: "pulse", Threshold: 5, Trends: []survey.Trend{{Question: "enps", Waves: []survey.WaveScore{
		// 6 promoters, 2 detractors of 10: 100 × (0.6 − 0.2) = 40.0
		{Wave: "2026-01", Respondents: 10, NPS: nps, AdjustedWald: &survey.Interval{Method: survey.AdjustedWald, Level: 0.95, Lower: 2.5, Upper: 70.5}},
		{Wave: "2026-02", Suppressed: survey.BelowThreshold},
	}}}, Breakdown: &survey.Breakdown{By: "team", Groups: []survey.Group{{Value: "sales", Suppressed: survey.BelowThreshold}}}}
	html := render(t, report.Input{View: v})
	for _, want := range []string{
		`<th scope="row">2026-01</th><td>10</td><td>40.0</td><td>2.5 to 70.5 (adjusted-wald, 95.0%)</td>`,
		`<th scope="row">2026-02</th><td>–</td><td>–</td><td>–</td><td>suppressed (below-threshold)</td>`,
		`<th scope="row">sales</th><td>–</td><td>–</td><td>–</td><td>suppressed (below-threshold)</td>`,
		`class="small muted">suppressed</text>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
}

// TestHostileLabels: names from the data are escaped, never markup.
func TestHostileLabels(t *testing.T) {
	v := funnelView(t)
	usd := money.Currency("USD")
	v.Periods[0].Attribution = &engine.Attribution{Model: "linear", ByChannel: []engine.Return{
		{Key: `<script>alert(1)</script>`, Cost: money.New(100, usd), Value: money.New(300, usd), Conversions: 1},
		{Key: `" onload="x`, Cost: money.New(100, usd), Value: money.New(-5, usd)},
	}}
	html := render(t, report.Input{View: v, Title: "</title><script>x</script>"})
	if strings.Contains(html, "<script") {
		t.Error("a label became markup")
	}
	if strings.Contains(html, `" onload="x`) {
		t.Error("a label broke out of an attribute")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the escaped channel name is missing")
	}
}

func TestErrors(t *testing.T) {
	v := funnelView(t)
	eur := *v
	eur.Currency = "EUR"
	quarter := *v
	quarter.Granularity = engine.ByQuarter
	for _, c := range []struct {
		name string
		in   report.Input
		want error
		msg  string
	}{
		{"no view", report.Input{}, report.ErrInvalidInput, "no view"},
		{"no period", report.Input{View: &engine.View{Currency: "USD"}}, report.ErrInvalidInput, "no period"},
		{"unknown period", report.Input{View: v, Period: "2026-04"}, report.ErrInvalidInput, `period "2026-04"`},
		{"compare currency", report.Input{View: v, Compare: []*engine.View{&eur}}, report.ErrCurrencyMismatch, "in EUR"},
		{"compare granularity", report.Input{View: v, Compare: []*engine.View{&quarter}}, report.ErrInvalidInput, "by quarter"},
		{"nil compare", report.Input{View: v, Compare: []*engine.View{nil}}, report.ErrInvalidInput, "nil comparison"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			err := report.Write(&b, c.in)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want %v with %q", err, c.want, c.msg)
			}
			if b.Len() != 0 {
				t.Error("wrote output for an invalid input")
			}
		})
	}
}

func TestPeriodSelection(t *testing.T) {
	in := sample(t)
	in.Period = "2025-Q4"
	html := render(t, in)
	// 2025-Q4 has no deal: won revenue zero, and MRR at its end is the
	// three December subscriptions, 1,000 + 500 + 300 = 1,800.00.
	for _, want := range []string{"Engine summary, 2025-Q4", `data-kpi="revenue" data-raw="0">USD 0.00<`, `data-kpi="ending_mrr" data-raw="180000">USD 1800.00<`} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
}

// BenchmarkWrite renders the full sample report (7 sections, 12 charts).
func BenchmarkWrite(b *testing.B) {
	in := sample(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := report.Write(&buf, in); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// TestSLAChart: 3 met and 1 breached of the MQLs is 3 / (3 + 1) = 75.0%;
// the bar is 75% of the 340 px plot (640 − 150 − 150), 255 px. A stage
// with no judged entry (no SLA) has no bar; owner and route rows are only
// in the view, not in this chart.
func TestSLAChart(t *testing.T) {
	v := funnelView(t)
	three := 0.75
	v.Periods[0].Speed = []engine.Speed{
		{Stage: "mql", Entered: 5, Met: 3, Breached: 1, Pending: 1, WithinSLA: &three},
		{Stage: "mql", Owner: "ana", Entered: 2, Met: 2, WithinSLA: new(float64)},
		{Stage: "sql", Entered: 2},
	}
	html := render(t, report.Input{View: v})
	for _, want := range []string{
		`<rect x="150.0" y="14.0" width="255.0" height="20.0" fill="#009E73"><title>mql: 75.0% (3 of 4 judged)</title></rect>`,
		`<tr><th scope="row">mql</th><td>5</td><td>0</td><td>–</td><td>–</td><td>3</td><td>1</td><td>1</td><td>75.0%</td></tr>`,
		`<tr><th scope="row">sql</th><td>2</td><td>0</td><td>–</td><td>–</td><td>0</td><td>0</td><td>0</td><td>–</td></tr>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	if n := strings.Count(html, "(2 of 2 judged)"); n != 0 {
		t.Errorf("an owner row is in the stage chart")
	}
}

// TestBacktestOneRuleSet: with the same rules on both sides (the CLI's
// --rules without --against) each band shows one count, not a duplicate.
func TestBacktestOneRuleSet(t *testing.T) {
	side := backtest.RuleSetInfo{Name: "quick", Version: "3", Hash: "sha256:ab"}
	won := 0.5
	bt := &backtest.Report{Old: side, New: side, BandWidth: 10, Scores: []backtest.ScoreDiff{{Model: "fit", Bands: []backtest.Band{{Lo: 0, Hi: 10, Old: 2, New: 2}}}},
		Outcomes: &backtest.Outcomes{Field: "outcome", Model: "fit", Bands: []backtest.BandOutcome{{Lo: 0, Hi: 10,
			// 1 won of 2 with an outcome: 1 / 2 = 50.0%
			Old: backtest.OutcomeStats{Leads: 2, WithOutcome: 2, Won: 1, ConversionRate: &won}, New: backtest.OutcomeStats{Leads: 2, WithOutcome: 2, Won: 1, ConversionRate: &won}}}}}
	html := render(t, report.Input{View: funnelView(t), Backtest: bt})
	for _, want := range []string{
		`<thead><tr><th scope="col">Band</th><th scope="col">quick 3</th></tr></thead><tbody><tr><th scope="row">[0, 10)</th><td>2</td></tr>`,
		`<tr><th scope="row">[0, 10)</th><td>50.0% of 2</td></tr>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
}
