package main

import (
	"flag"
	"strings"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/internal/duration"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// engineFlags are the input and view flags kpis and report share: the files
// (or a DIR) and how the revenue-engine view is built from them.
type engineFlags struct {
	period, model, currency, rules, stages, exits, sla, asOf, roi, cac *string
	margin                                                             *float64
	maxErrors                                                          *int
	files                                                              engine.Files
}

// addEngineFlags registers the shared flags on fs; modelHelp and rulesHelp
// say what --model and --rules do for the command.
func addEngineFlags(fs *flag.FlagSet, modelHelp, rulesHelp string) *engineFlags {
	e := &engineFlags{
		period:    fs.String("period", "month", "length of the view's periods: month or quarter"),
		model:     fs.String("model", "linear", modelHelp),
		currency:  fs.String("currency", "USD", "ISO 4217 currency of amounts without a currency column; all amounts must be in it"),
		rules:     fs.String("rules", "", rulesHelp),
		stages:    fs.String("stages", "", "funnel stages in order, comma-separated (default: from --rules, else lead,mql,sal,sql,opportunity,won)"),
		exits:     fs.String("exits", "disqualified", "stages that leave the funnel, comma-separated"),
		sla:       fs.String("sla", "", "SLA per stage for changes without a deadline, e.g. mql=24h,sal=3d"),
		asOf:      fs.String("as-of", "", "RFC 3339 time the data was extracted, for pending SLAs (default: the latest stage change)"),
		roi:       fs.String("roi", "revenue", "ROI variant: revenue ((value − cost) / cost) or gross_profit ((value × margin − cost) / cost)"),
		margin:    fs.Float64("margin", 1, "gross margin in (0, 1] for LTV, payback and --roi gross_profit"),
		cac:       fs.String("cac", "fully_loaded", "CAC variant: fully_loaded (marketing + sales) or marketing_only"),
		maxErrors: fs.Int("max-errors", 100, "problems reported before giving up"),
	}
	f := &e.files
	fs.StringVar(&f.StageChanges, "stage-changes", "", "stage changes file")
	fs.StringVar(&f.Scored, "scored", "", "scored results file (JSON lines)")
	fs.StringVar(&f.Deals, "deals", "", "deals file")
	fs.StringVar(&f.Touches, "touches", "", "touches file")
	fs.StringVar(&f.Spend, "spend", "", "spend file")
	fs.StringVar(&f.Subscriptions, "subscriptions", "", "subscription events file")
	fs.StringVar(&f.Survey, "survey", "", "eNPS/pulse survey definition (YAML), with --responses")
	fs.StringVar(&f.Responses, "responses", "", "survey responses CSV, with --survey")
	return e
}

// config turns the parsed flags into the input files (a DIR argument fills
// the files not given by flag) and the view's configuration. A usage
// problem returns the exit code of its usage error and false; a DIR that
// cannot be read, exitFindings and false. --rules is the command's to load.
func (e *engineFlags) config(env *cmdEnv, fs *flag.FlagSet, cmd string) (engine.Files, engine.Config, int, bool) {
	f := e.files
	fail := func(format string, a ...any) (engine.Files, engine.Config, int, bool) {
		return f, engine.Config{}, usageError(fs, format, a...), false
	}
	if fs.NArg() > 1 {
		return fail("want at most one DIR, got %d arguments", fs.NArg())
	}
	if fs.NArg() == 1 {
		d, err := engine.DirFiles(fs.Arg(0))
		if err != nil {
			errorf(env, cmd, "%v", err)
			return f, engine.Config{}, exitFindings, false
		}
		for _, p := range []struct{ flag, dir *string }{{&f.StageChanges, &d.StageChanges}, {&f.Scored, &d.Scored}, {&f.Deals, &d.Deals},
			{&f.Touches, &d.Touches}, {&f.Spend, &d.Spend}, {&f.Subscriptions, &d.Subscriptions}, {&f.Survey, &d.Survey}, {&f.Responses, &d.Responses}} {
			if *p.flag == "" {
				*p.flag = *p.dir
			}
		}
	}
	if f == (engine.Files{}) {
		return fail("no input: give a DIR or file flags")
	}
	cfg := engine.Config{Currency: money.Currency(*e.currency), Period: engine.Granularity(*e.period), CAC: revenue.CACVariant(*e.cac), GrossMargin: *e.margin}
	if err := cfg.Currency.Validate(); err != nil {
		return fail("--currency %q: want an ISO 4217 code such as USD", *e.currency)
	}
	if cfg.Period != engine.ByMonth && cfg.Period != engine.ByQuarter {
		return fail("--period %q: want month or quarter", *e.period)
	}
	if cfg.CAC != revenue.CACFullyLoaded && cfg.CAC != revenue.CACMarketingOnly {
		return fail("--cac %q: want fully_loaded or marketing_only", *e.cac)
	}
	if !(*e.margin > 0 && *e.margin <= 1) {
		return fail("--margin %v: want a fraction in (0, 1]", *e.margin)
	}
	switch *e.roi {
	case "revenue":
	case "gross_profit":
		cfg.ROI = []revenue.ROIOption{revenue.WithGrossMargin(*e.margin)}
	default:
		return fail("--roi %q: want revenue or gross_profit", *e.roi)
	}
	m, err := attribution.ModelByName(*e.model)
	if err != nil {
		return fail("--model %q: %v", *e.model, err)
	}
	cfg.Model = m
	if *e.stages != "" {
		for _, s := range strings.Split(*e.stages, ",") {
			cfg.Stages = append(cfg.Stages, revenue.Stage(strings.TrimSpace(s)))
		}
	}
	cfg.Exits = []revenue.Stage{}
	for _, s := range strings.Split(*e.exits, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.Exits = append(cfg.Exits, revenue.Stage(s))
		}
	}
	if *e.sla != "" {
		cfg.SLA = map[string]time.Duration{}
		for _, kv := range strings.Split(*e.sla, ",") {
			k, v, ok := strings.Cut(kv, "=")
			d, err := duration.Parse(strings.TrimSpace(v))
			if !ok || err != nil {
				return fail("--sla %q: want stage=duration pairs such as mql=24h", kv)
			}
			cfg.SLA[strings.TrimSpace(k)] = d
		}
	}
	if *e.asOf != "" {
		t, err := time.Parse(time.RFC3339, *e.asOf)
		if err != nil {
			return fail("--as-of %q: want an RFC 3339 time", *e.asOf)
		}
		cfg.AsOf = t
	}
	return f, cfg, 0, true
}
