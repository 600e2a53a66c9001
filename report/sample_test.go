package report_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/report"
	"github.com/revengine/revengine/revenue/goal"
	"github.com/revengine/revengine/revenue/mrr"
	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/backtest"
)

var update = flag.Bool("update", false, "rewrite testdata/sample.html.golden and testdata/report.png")

// sampleDir is the sample data "revengine kpis" ships with.
var sampleDir = filepath.Join("..", "examples", "kpis", "data")

// sampleView builds the engine view of the shipped sample by quarter under
// one attribution model, with the eNPS pulse survey of examples/pulse.
func sampleView(t testing.TB, model string) *engine.View {
	t.Helper()
	m, err := attribution.ModelByName(model)
	if err != nil {
		t.Fatal(err)
	}
	b, err := engine.New(engine.Config{Currency: "USD", Period: engine.ByQuarter, Model: m})
	if err != nil {
		t.Fatal(err)
	}
	f, err := engine.DirFiles(sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	f.Survey = filepath.Join("..", "examples", "pulse", "pulse.yaml")
	f.Responses = filepath.Join("..", "examples", "pulse", "responses.csv")
	if err := b.Read(context.Background(), f, 10); err != nil {
		t.Fatal(err)
	}
	v, err := b.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sampleBridge is the monthly MRR bridge of the sample's subscriptions.
func sampleBridge(t testing.TB) *mrr.Bridge {
	t.Helper()
	name := filepath.Join(sampleDir, "subscriptions.csv")
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var evs []mrr.Event
	for e, err := range mrr.ScanEvents(context.Background(), fh, name) {
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	br, err := mrr.NewBridge(context.Background(), evs, mrr.MethodEvent, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return br
}

// sampleBacktest is the backtest fixture of "revengine diff": two rule
// sets over twelve leads, with outcomes.
func sampleBacktest(t testing.TB) *backtest.Report {
	t.Helper()
	oldRules, err := scoring.LoadFile(filepath.Join("testdata", "old.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	newRules, err := scoring.LoadFile(filepath.Join("testdata", "new.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join("testdata", "leads.jsonl")
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rep, err := backtest.Run(context.Background(), oldRules, newRules, fh, name, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC),
		backtest.WithOutcomes("outcome"), backtest.WithBandWidth(25))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// samplePace paces a USD 25,000.00 Q1 bookings target on 2026-03-15
// against the won deals of the sample (D1 USD 12,000.00 on 2026-02-15,
// D2 USD 6,000.00 on 2026-03-10, D5 USD 3,000.00 on 2026-03-20, after the
// evaluation day).
func samplePace(t testing.TB) goal.Pace {
	t.Helper()
	tg := goal.Target{Period: record.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		Amount: money.New(2500000, "USD")}
	p, err := tg.Pace(context.Background(), []goal.Actual{
		{Date: time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC), Amount: money.New(1200000, "USD")},
		{Date: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), Amount: money.New(600000, "USD")},
		{Date: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), Amount: money.New(300000, "USD")},
	}, time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sample is the full report input of the shipped sample.
func sample(t testing.TB) report.Input {
	t.Helper()
	return report.Input{
		Title:    "Sample revenue report",
		View:     sampleView(t, "linear"),
		Compare:  []*engine.View{sampleView(t, "first_touch"), sampleView(t, "last_touch"), sampleView(t, "position_based")},
		Bridge:   sampleBridge(t),
		Backtest: sampleBacktest(t),
		Pacing:   []goal.Pace{samplePace(t)},
	}
}
