// Command kpis prints the revenue-engine view of a folder of CSV or
// JSON-lines files — funnel, speed-to-lead, sourced and influenced revenue,
// ROI and CAC per channel and campaign, MRR, NRR, GRR, LTV — through the
// same code path as "revengine kpis": engine.DirFiles, Builder.Read,
// Builder.View and View.WriteText.
//
//	go run ./examples/kpis                        # the shipped data/, by quarter
//	go run ./examples/kpis -period month ~/my-data
//
// The folder holds stage_changes, deals, touches, spend and subscriptions
// (.csv or .jsonl; see package record for the columns). Point it at your
// own exports: every row is validated and every problem printed as
// file:line:col: message.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
)

func main() {
	period := flag.String("period", "quarter", "month or quarter")
	currency := flag.String("currency", "USD", "currency of the amounts")
	flag.Parse()
	dir := dataDir()
	if flag.NArg() > 0 {
		dir = flag.Arg(0)
	}
	if err := run(context.Background(), os.Stdout, dir, engine.Granularity(*period), money.Currency(*currency)); err != nil {
		fmt.Fprintln(os.Stderr, "kpis:", err)
		os.Exit(1)
	}
}

// dataDir is the shipped sample folder, found from any working directory.
func dataDir() string {
	if _, err := os.Stat("examples/kpis/data"); err == nil {
		return "examples/kpis/data"
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "data")
}

func run(ctx context.Context, out io.Writer, dir string, period engine.Granularity, cur money.Currency) error {
	files, err := engine.DirFiles(dir)
	if err != nil {
		return err
	}
	b, err := engine.New(engine.Config{Currency: cur, Period: period})
	if err != nil {
		return err
	}
	if err := b.Read(ctx, files, 0); err != nil {
		return err // every problem, as file:line:col: message
	}
	v, err := b.View(ctx)
	if err != nil {
		return err
	}
	return v.WriteText(out)
}
