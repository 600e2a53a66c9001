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
	"github.com/revengine/revengine/internal/duration"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/report"
	"github.com/revengine/revengine/revenue"
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
	period := fs.String("period", "month", "length of the view's periods: month or quarter")
	model := fs.String("model", "linear", "attribution model of the view: first_touch, last_touch, linear, position_based, time_decay, w_shaped, …")
	currency := fs.String("currency", "USD", "ISO 4217 currency of amounts without a currency column; all amounts must be in it")
	rules := fs.String("rules", "", "scoring rules file: its stages are the funnel's, it reads --scored results and scores --leads")
	stages := fs.String("stages", "", "funnel stages in order, comma-separated (default: from --rules, else lead,mql,sal,sql,opportunity,won)")
	exits := fs.String("exits", "disqualified", "stages that leave the funnel, comma-separated")
	sla := fs.String("sla", "", "SLA per stage for changes without a deadline, e.g. mql=24h,sal=3d")
	asOf := fs.String("as-of", "", "RFC 3339 time the data was extracted, for pending SLAs (default: the latest stage change)")
	roi := fs.String("roi", "revenue", "ROI variant: revenue or gross_profit")
	margin := fs.Float64("margin", 1, "gross margin in (0, 1] for LTV, payback and --roi gross_profit")
	cac := fs.String("cac", "fully_loaded", "CAC variant: fully_loaded or marketing_only")
	maxErrors := fs.Int("max-errors", 100, "problems reported before giving up")
	leads := fs.String("leads", "", "leads `FILE` (JSON lines) to score with --rules for the score views")
	against := fs.String("against", "", "older rules `FILE` to compare with --rules on --leads (default: --rules on both sides)")
	outcomes := fs.String("outcomes", "", "lead JSON key holding the outcome (won/lost, true/false, revenue): the won rate per score band")
	band := fs.Float64("band", 10, "width of the score bands")
	scoreAt := fs.String("score-at", "", "RFC 3339 time the leads are scored at (default: the view's as-of time)")
	target := fs.String("target", "", "target `FILE` (YAML, as \"revengine pace\" reads it), with --actuals")
	actuals := fs.String("actuals", "", "actuals `FILE` (CSV date,amount_minor[,currency]), with --target")
	at := fs.String("at", "", "pacing `DATE` YYYY-MM-DD (default: the view's as-of date)")
	var f engine.Files
	fs.StringVar(&f.StageChanges, "stage-changes", "", "stage changes file")
	fs.StringVar(&f.Scored, "scored", "", "scored results file (JSON lines)")
	fs.StringVar(&f.Deals, "deals", "", "deals file")
	fs.StringVar(&f.Touches, "touches", "", "touches file")
	fs.StringVar(&f.Spend, "spend", "", "spend file")
	fs.StringVar(&f.Subscriptions, "subscriptions", "", "subscription events file")
	fs.StringVar(&f.Survey, "survey", "", "eNPS/pulse survey definition (YAML), with --responses")
	fs.StringVar(&f.Responses, "responses", "", "survey responses CSV, with --survey")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		return usageError(fs, "want at most one DIR, got %d arguments", fs.NArg())
	}
	if fs.NArg() == 1 {
		d, err := engine.DirFiles(fs.Arg(0))
		if err != nil {
			errorf(env, "report", "%v", err)
			return exitFindings
		}
		for _, p := range []struct{ flag, dir *string }{{&f.StageChanges, &d.StageChanges}, {&f.Scored, &d.Scored}, {&f.Deals, &d.Deals},
			{&f.Touches, &d.Touches}, {&f.Spend, &d.Spend}, {&f.Subscriptions, &d.Subscriptions}, {&f.Survey, &d.Survey}, {&f.Responses, &d.Responses}} {
			if *p.flag == "" {
				*p.flag = *p.dir
			}
		}
	}
	if f == (engine.Files{}) {
		return usageError(fs, "no input: give a DIR or file flags")
	}
	cfg := engine.Config{Currency: money.Currency(*currency), Period: engine.Granularity(*period), CAC: revenue.CACVariant(*cac), GrossMargin: *margin}
	if err := cfg.Currency.Validate(); err != nil {
		return usageError(fs, "--currency %q: want an ISO 4217 code such as USD", *currency)
	}
	if cfg.Period != engine.ByMonth && cfg.Period != engine.ByQuarter {
		return usageError(fs, "--period %q: want month or quarter", *period)
	}
	if cfg.CAC != revenue.CACFullyLoaded && cfg.CAC != revenue.CACMarketingOnly {
		return usageError(fs, "--cac %q: want fully_loaded or marketing_only", *cac)
	}
	if !(*margin > 0 && *margin <= 1) {
		return usageError(fs, "--margin %v: want a fraction in (0, 1]", *margin)
	}
	switch *roi {
	case "revenue":
	case "gross_profit":
		cfg.ROI = []revenue.ROIOption{revenue.WithGrossMargin(*margin)}
	default:
		return usageError(fs, "--roi %q: want revenue or gross_profit", *roi)
	}
	m, err := attribution.ModelByName(*model)
	if err != nil {
		return usageError(fs, "--model %q: %v", *model, err)
	}
	cfg.Model = m
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
	if *stages != "" {
		for _, s := range strings.Split(*stages, ",") {
			cfg.Stages = append(cfg.Stages, revenue.Stage(strings.TrimSpace(s)))
		}
	}
	cfg.Exits = []revenue.Stage{}
	for _, s := range strings.Split(*exits, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.Exits = append(cfg.Exits, revenue.Stage(s))
		}
	}
	if *sla != "" {
		cfg.SLA = map[string]time.Duration{}
		for _, kv := range strings.Split(*sla, ",") {
			k, v, ok := strings.Cut(kv, "=")
			d, err := duration.Parse(strings.TrimSpace(v))
			if !ok || err != nil {
				return usageError(fs, "--sla %q: want stage=duration pairs such as mql=24h", kv)
			}
			cfg.SLA[strings.TrimSpace(k)] = d
		}
	}
	if *asOf != "" {
		t, err := time.Parse(time.RFC3339, *asOf)
		if err != nil {
			return usageError(fs, "--as-of %q: want an RFC 3339 time", *asOf)
		}
		cfg.AsOf = t
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
		if err := b.Read(ctx, f, *maxErrors); err != nil {
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
