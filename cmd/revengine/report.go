package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/report"
	"github.com/revengine/revengine/revenue/goal"
	"github.com/revengine/revengine/revenue/mrr"
	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/backtest"
)

func init() {
	register(&command{Name: "report", Summary: "a self-contained HTML report of the revenue-engine view, with charts (same inputs as kpis)", Run: runReport})
}

const reportSynopsis = `[flags] [DIR]

Writes one self-contained HTML file (inline CSS and SVG, no script, no
network access when opened) of the revenue-engine view that "revengine
kpis" prints, from the same files (see "revengine kpis -h"):

  - the headline KPIs of the period (--for, default the last) with their
    definitions;
  - the funnel with stage-to-stage conversion and SLA compliance;
  - attribution per channel under --model and each --compare model, with ROI;
  - the monthly MRR bridge as waterfalls, with the customer movements
    behind each month in a drill-down table;
  - with --leads (JSON lines of leads, as "revengine diff" reads them) and
    --rules: the score distribution per score model and, with --outcomes,
    the won rate per score band (--against names older rules to compare);
  - with --target and --actuals (as "revengine pace" reads them): pacing
    against the target at --at, with the expected-to-date mark;
  - with --survey and --responses: eNPS per wave with its interval,
    suppressed groups shown as suppressed.

Problems with the files are printed as file:line:col: message and no report
is written (exit 1).`

func runReport(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "report", reportSynopsis)
	out := fs.String("o", "-", "output `FILE`; - for standard output")
	title := fs.String("title", "Revenue report", "title of the report")
	forPeriod := fs.String("for", "", "`PERIOD` of the headline, funnel and attribution (2026-03, 2026-Q1; default the last)")
	compare := fs.String("compare", "first_touch,last_touch,position_based", "attribution models shown beside --model, comma-separated (\"\" for none)")
	leads := fs.String("leads", "", "leads `FILE` (JSON lines) to score with --rules for the score views")
	against := fs.String("against", "", "older rules `FILE` to compare with --rules on --leads (default: --rules on both sides)")
	outcomes := fs.String("outcomes", "", "lead JSON key holding the outcome (won/lost, true/false, revenue): the won rate per score band")
	band := fs.Float64("band", 10, "width of the score bands")
	scoreAt := fs.String("score-at", "", "RFC 3339 time the leads are scored at (default: the view's as-of time)")
	target := fs.String("target", "", "target `FILE` (YAML, as \"revengine pace\" reads it), with --actuals")
	actuals := fs.String("actuals", "", "actuals `FILE` (CSV date,amount_minor[,currency]), with --target")
	at := fs.String("at", "", "pacing `DATE` YYYY-MM-DD (default: the view's as-of date)")
	ef := addEngineFlags(fs, "attribution model of the view: first_touch, last_touch, linear, position_based, time_decay, w_shaped, …",
		"scoring rules file: its stages are the funnel's, it reads --scored results and scores --leads")
	rules := ef.rules
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	f, cfg, code, valid := ef.config(env, fs, "report")
	if !valid {
		return code
	}
	m := cfg.Model
	var err error
	var others []attribution.Model
	for _, name := range strings.Split(*compare, ",") {
		if name = strings.TrimSpace(name); name == "" || name == m.Name() {
			continue
		}
		o, err := attribution.ModelByName(name)
		if err != nil {
			return usageError(fs, "--compare %q: %v", name, err)
		}
		others = append(others, o)
	}
	if (*target == "") != (*actuals == "") {
		return usageError(fs, "--target and --actuals go together")
	}
	if *leads != "" && *rules == "" {
		return usageError(fs, "--leads needs --rules to score them")
	}
	if (*against != "" || *outcomes != "") && *leads == "" {
		return usageError(fs, "--against and --outcomes need --leads")
	}
	if !(*band > 0) {
		return usageError(fs, "--band %v: want a positive width", *band)
	}
	var pacingAt, scoringAt time.Time
	if *at != "" {
		if pacingAt, err = time.Parse(time.DateOnly, *at); err != nil {
			return usageError(fs, "--at %q: want a date YYYY-MM-DD", *at)
		}
	}
	if *scoreAt != "" {
		if scoringAt, err = time.Parse(time.RFC3339, *scoreAt); err != nil {
			return usageError(fs, "--score-at %q: want an RFC 3339 time", *scoreAt)
		}
	}
	if *rules != "" {
		rs, err := scoring.LoadFile(*rules)
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		cfg.Rules = rs
	}

	// One view per model: the files are read once per model, each view
	// by its own Builder (a Builder credits by one model).
	view := func(m attribution.Model) (*engine.View, bool) {
		c := cfg
		c.Model = m
		b, err := engine.New(c)
		if err != nil {
			errorf(env, "report", "%v", err)
			return nil, false
		}
		if err := b.Read(ctx, f, *ef.maxErrors); err != nil {
			var l diag.List
			if errors.As(err, &l) {
				for _, e := range l {
					errorf(env, "report", "%v", e)
				}
				errorf(env, "report", "%d problems; no report written", len(l))
				return nil, false
			}
			errorf(env, "report", "%v", err)
			return nil, false
		}
		v, err := b.View(ctx)
		if err != nil {
			errorf(env, "report", "%v", err)
			return nil, false
		}
		return v, true
	}
	in := report.Input{Title: *title, Period: *forPeriod}
	var ok bool
	if in.View, ok = view(cfg.Model); !ok {
		return exitFindings
	}
	for _, o := range others {
		v, ok := view(o)
		if !ok {
			return exitFindings
		}
		in.Compare = append(in.Compare, v)
	}
	if f.Subscriptions != "" {
		if in.Bridge, err = readBridge(ctx, f.Subscriptions, cfg.Currency); err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
	}
	if *leads != "" {
		oldRules := cfg.Rules
		if *against != "" {
			if oldRules, err = scoring.LoadFile(*against); err != nil {
				errorf(env, "report", "%v", err)
				return exitFindings
			}
		}
		if scoringAt.IsZero() {
			scoringAt = in.View.AsOf
		}
		opts := []backtest.Option{backtest.WithBandWidth(*band)}
		if *outcomes != "" {
			opts = append(opts, backtest.WithOutcomes(*outcomes))
		}
		r, name, err := openInput(env, *leads)
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		in.Backtest, err = backtest.Run(ctx, oldRules, cfg.Rules, r, name, scoringAt, opts...)
		r.Close()
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
	}
	if *target != "" {
		spec, err := goal.LoadFile(*target)
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		r, name, err := openInput(env, *actuals)
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		acts, err := goal.ReadActuals(ctx, r, name)
		r.Close()
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		if pacingAt.IsZero() {
			pacingAt = in.View.AsOf
		}
		rep, err := spec.Pace(ctx, acts, pacingAt)
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		in.Pacing = append([]goal.Pace{rep.Total}, rep.Parts...)
	}
	// Render in memory first: an invalid input writes no file.
	var buf strings.Builder
	if err := report.Write(&buf, in); err != nil {
		errorf(env, "report", "%v", err)
		return exitFindings
	}
	if *out == "-" {
		if _, err := env.Stdout.Write([]byte(buf.String())); err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		return exitOK
	}
	if err := os.WriteFile(*out, []byte(buf.String()), 0o644); err != nil {
		errorf(env, "report", "%v", err)
		return exitFindings
	}
	return exitOK
}

// readBridge reads the subscription events again for the monthly bridge
// and its movements (the view keeps only the sums per period).
func readBridge(ctx context.Context, path string, cur money.Currency) (*mrr.Bridge, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var evs []mrr.Event
	for e, err := range record.ScanSubscriptionEvents(ctx, fh, path, record.WithCurrency(cur)) {
		if err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return mrr.NewBridge(ctx, evs, mrr.MethodEvent, cur)
}
