package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/goal"
)

func init() {
	register(&command{Name: "pace", Summary: "pace a revenue target against dated actuals at a date", Run: runPace})
}

const paceSynopsis = `--target FILE --actuals FILE --at YYYY-MM-DD [--json]

Paces a revenue target at the end of the day --at: actual to date,
attainment, expected to date, gap, run-rate projection, daily rate still
required and, with a win rate, the pipeline still needed; per sub-period and
in total. Exit status 1 when a file is invalid (every problem is listed as
FILE:LINE[:COLUMN]: field: message).

Target file (YAML):

  period: 2024-Q1          # 2024 | 2024-Q1 | 2024-03 | 2024-01-15..2024-06-30 (days included)
  amount_minor: 910000     # the target in minor units (cents), positive
  currency: USD            # ISO 4217 code
  by: month                # sub-periods: month (default) | quarter | none
  split: days              # equal | days (default, calendar days) | working_days | weights
  weights: [1, 2, 4]       # split: weights — one non-negative weight per sub-period
  weekend: [saturday, sunday]   # calendar for working_days (default: no weekend)
  holidays: [2024-01-01]   # calendar holidays, YYYY-MM-DD
  pace: linear             # linear (default, elapsed days) | plan (by the split) | working_days
  win_rate: 0.25           # optional, with average_deal_minor: pipeline still needed
  average_deal_minor: 100000

The split reconciles to the cent (largest remainder, ties to the earlier
sub-period).

Actuals file (CSV, UTF-8): one actual per row, "date,amount_minor[,currency]",
date YYYY-MM-DD, amount in minor units (zero or positive), currency defaulting
to the target's (another currency is an error). An optional header row
names the columns (date, amount_minor, currency, in any order); lines
starting with # are comments. "-" reads standard input.

Definitions (e = days of the period elapsed through --at, both included, of
D): expected = target x e/D (linear), projection = actual x D/e, required
per day = max(target - actual, 0)/(D - e), "-" when undefined.`

func runPace(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "pace", paceSynopsis)
	targetPath := fs.String("target", "", "target `FILE` (YAML, see above)")
	actualsPath := fs.String("actuals", "", "actuals `FILE` (CSV date,amount_minor[,currency]); - for standard input")
	atFlag := fs.String("at", "", "evaluation `DATE` (YYYY-MM-DD), as of the end of that day")
	asJSON := fs.Bool("json", false, "print JSON (money in minor units) instead of a table")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	case *targetPath == "":
		return usageError(fs, "--target is required")
	case *actualsPath == "":
		return usageError(fs, "--actuals is required")
	case *atFlag == "":
		return usageError(fs, "--at is required")
	case *targetPath == "-" && *actualsPath == "-":
		return usageError(fs, "--target and --actuals cannot both be standard input")
	}
	at, err := time.Parse(time.DateOnly, *atFlag)
	if err != nil {
		return usageError(fs, "--at %q: want a date YYYY-MM-DD", *atFlag)
	}

	r, name, err := openInput(env, *targetPath)
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	spec, err := goal.Load(r, name)
	r.Close()
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}

	r, name, err = openInput(env, *actualsPath)
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	actuals, err := goal.ReadActuals(ctx, r, name, revenue.WithCurrency(spec.Target.Amount.Currency))
	r.Close()
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}

	rep, err := spec.Pace(ctx, actuals, at)
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	if *asJSON {
		// The library's own encoding of the report (goal.Report), nothing else.
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = writePaceTable(env.Stdout, rep)
	}
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	return exitOK
}

// paceAmount formats money without its currency (the table states it once).
func paceAmount(m money.Money) string {
	return strings.TrimPrefix(m.String(), string(m.Currency)+" ")
}

func writePaceTable(w io.Writer, rep goal.Report) error {
	t := rep.Total
	var b strings.Builder
	fmt.Fprintf(&b, "target %s %v, split %s by %s, pace %s, at end of %s (%s)\n",
		t.Period, t.Target, rep.Split, rep.By, rep.Method, rep.At.Format(time.DateOnly), t.Status)
	fmt.Fprintf(&b, "actuals: %d counted, %d after %s, %d outside the period\n\n",
		rep.Counted, rep.Later, rep.At.Format(time.DateOnly), rep.Outside)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "period\tdays\ttarget\tactual\tattain\texpected\tgap\tprojection\tremaining\treq/day\t")
	row := func(label string, p goal.Pace) {
		att := "-"
		if p.Attainment != nil {
			att = strconv.FormatFloat(100**p.Attainment, 'f', 1, 64) + "%"
		}
		opt := func(m *money.Money) string {
			if m == nil {
				return "-"
			}
			return paceAmount(*m)
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", label, p.ElapsedDays, p.TotalDays,
			paceAmount(p.Target), paceAmount(p.Actual), att, paceAmount(p.Expected), paceAmount(p.Gap),
			opt(p.Projection), paceAmount(p.Remaining), opt(p.RequiredDaily))
	}
	if len(rep.Parts) > 1 {
		for _, p := range rep.Parts {
			row(p.Period.String(), p)
		}
	}
	row("total", rep.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	if pl := rep.Total.Pipeline; pl != nil {
		fmt.Fprintf(&b, "\npipeline still needed: %s (%s deals of %s at a %s win rate; required coverage %sx)\n",
			paceAmount(pl.Needed), strconv.FormatFloat(pl.Deals, 'f', 2, 64), paceAmount(pl.AverageDeal),
			strconv.FormatFloat(100*pl.WinRate, 'f', -1, 64)+"%", strconv.FormatFloat(pl.RequiredCoverage, 'f', 2, 64))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
