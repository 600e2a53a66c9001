package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/duration"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/scoring"
)

func init() {
	register(&command{Name: "kpis", Summary: "the revenue-engine view (funnel, speed-to-lead, sourced revenue, ROI and CAC per channel, MRR, NRR, LTV) of your own files", Run: runKPIs})
}

const kpisSynopsis = `[flags] [DIR]

Reads your files — from DIR by their conventional names, or from the file
flags (which override DIR) — and prints one revenue-engine view per month or
quarter. Every file may be CSV (header required, columns in any order) or
JSON lines with the same keys:

  stage_changes  lead_id,to,at [,from,rule,owner,route,channel,deadline]
  scored         JSON lines of "revengine score" results (instead of, or
                 with, stage_changes; --rules names the rules file)
  deals          id,created,status,amount [,closed,currency,account_id,
                 lead_id,stage,channel,campaign]; in JSON lines a deal may
                 hold its "touches" array
  touches        deal_id,at,channel,kind [,campaign,lead_id,lead_created,
                 opp_created], grouped by deal_id
  spend          period,channel,category,amount [,campaign,currency]
  subscriptions  customer_id,date,mrr [,currency]
  responses      survey responses CSV (as "revengine survey" reads them),
                 with survey.yaml, its definition: the view adds the eNPS

Times are RFC 3339 or YYYY-MM-DD; amounts integer minor units; status
open|won|lost; kind marketing|sales; category marketing|sales; period
YYYY-MM, YYYY-Qn or YYYY. Every row is validated; problems are printed as
file:line:col: message and no view is printed (exit 1).`

func runKPIs(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "kpis", kpisSynopsis)
	period := fs.String("period", "month", "length of the view's periods: month or quarter")
	model := fs.String("model", "linear", "attribution model: first_touch, last_touch, linear, position_based, time_decay, w_shaped, full_path, markov, shapley, …")
	currency := fs.String("currency", "USD", "ISO 4217 currency of amounts without a currency column; all amounts must be in it")
	asJSON := fs.Bool("json", false, "print the library's JSON encoding of the view (money in minor units)")
	rules := fs.String("rules", "", "scoring rules file: its stages are the funnel's, and it reads --scored results")
	stages := fs.String("stages", "", "funnel stages in order, comma-separated (default: from --rules, else lead,mql,sal,sql,opportunity,won)")
	exits := fs.String("exits", "disqualified", "stages that leave the funnel, comma-separated")
	sla := fs.String("sla", "", "SLA per stage for changes without a deadline, e.g. mql=24h,sal=3d")
	asOf := fs.String("as-of", "", "RFC 3339 time the data was extracted, for pending SLAs (default: the latest stage change)")
	roi := fs.String("roi", "revenue", "ROI variant: revenue ((value − cost) / cost) or gross_profit ((value × margin − cost) / cost)")
	margin := fs.Float64("margin", 1, "gross margin in (0, 1] for LTV, payback and --roi gross_profit")
	cac := fs.String("cac", "fully_loaded", "CAC variant: fully_loaded (marketing + sales) or marketing_only")
	maxErrors := fs.Int("max-errors", 100, "problems reported before giving up")
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
			errorf(env, "kpis", "%v", err)
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
	if *rules != "" {
		rs, err := scoring.LoadFile(*rules)
		if err != nil {
			errorf(env, "kpis", "%v", err)
			return exitFindings
		}
		cfg.Rules = rs
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
	b, err := engine.New(cfg)
	if err != nil {
		return usageError(fs, "%v", err)
	}
	if err := b.Read(ctx, f, *maxErrors); err != nil {
		var l diag.List
		if errors.As(err, &l) {
			for _, e := range l {
				errorf(env, "kpis", "%v", e)
			}
			errorf(env, "kpis", "%d problems; no view printed", len(l))
			return exitFindings
		}
		errorf(env, "kpis", "%v", err)
		return exitFindings
	}
	v, err := b.View(ctx)
	if err != nil {
		errorf(env, "kpis", "%v", err)
		return exitFindings
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			errorf(env, "kpis", "%v", err)
			return exitFindings
		}
		return exitOK
	}
	if err := v.WriteText(env.Stdout); err != nil {
		errorf(env, "kpis", "%v", err)
		return exitFindings
	}
	return exitOK
}
