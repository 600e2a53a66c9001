package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/internal/duration"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

func init() {
	register(&command{Name: "attribute", Summary: "credit conversions and revenue to marketing channels (multi-touch attribution)", Run: runAttribute})
}

const attributeSynopsis = `--model NAME [--order K] [--half-life DURATION] [--format touches|paths|parquet]
         [--grouped | --sort-memory MIB] [--channel-map FILE] [--channel-fold]
         [--bootstrap N [--ci LEVEL] [--seed S]] [--min-journeys N [--privacy drop|pool]]
         [--disagreement] [--lift FILE] [--period FROM..TO]
         [--spend FILE] [--lookback DURATION] [--markov-value removal|share]
         [--currency CODE] [--json] FILE|-
       revengine attribute --choose-order K [--folds F] [--seed S] [--json] FILE|-

Credits the conversions and conversion value of customer journeys to the
channels that earned them. FILE ("-" for standard input) is CSV with a
header; exit status 1 when a line is invalid (every bad line is reported,
as FILE:LINE:COLUMN: field: message, and nothing is credited), 2 on a
usage error.

Models (NAME):
  first_touch, last_touch, last_non_direct (skips channel "direct" unless
  it is the only one), linear, position_based (40/20/40), j_shaped
  (20/20/60), inverse_j (60/20/20), time_decay (2^(-dt/half-life)),
  w_shaped, full_path, participation (every channel of a converting journey
  gets 1; does not sum to the total), markov (exact removal effects of the
  order-K chain), shapley (worth = conversions of journeys whose channel
  set is a subset), shapley_local_rate (worth = conversion rate of journeys
  with exactly that set), or all for a side-by-side table.
  time_decay, w_shaped, full_path and --lookback need --format touches.

--format touches (default), one row per touchpoint, in any order (rows are
sorted by journey and time in bounded memory, spilling to temporary files;
touches at equal times are ordered by channel name); --grouped requires
the rows of a journey contiguous and in time order and streams them in
memory that does not grow with the journeys (a journey resuming after
fewer than 65536 others is an error; one resuming further back is not
detected, so such input wants the default);
--sort-memory bounds the rows held while sorting (MiB, default 512):
  journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
  timestamps RFC 3339; flags 0/1; value_minor integer minor units (0 when
  not converted); converted, value_minor, conversion_time repeated on every
  row of a journey; conversion_time empty when not converted; a single row
  with an empty channel is a journey without touchpoints (unattributed).
  Optional columns: campaign, and currency (empty or the --currency code).

--format parquet reads the touch columns from a Parquet FILE (strings,
integers, booleans, timestamps or dates; a null is an empty field), with the
same checks; errors name the row, and the row group and row within it.

--format paths, one row per distinct path (ChannelAttribution/DP6 style):
  path,total_conversions,total_conversion_value,total_null
  path "a > b > c"; total_conversion_value integer minor units.

--channel-fold trims white space around channel names and lower-cases
them; --channel-map FILE, CSV "from,to", renames channels (after folding,
which applies to its names too). Both apply to the journeys and the spend;
the renames are listed in the output ("renamed" in JSON). Channel names
that differ only in case or white space are warned about on stderr.

--spend FILE, the module's spend rows (as for revengine kpis: CSV
"period,channel,category,amount" [,campaign,currency], or JSON lines),
amounts in minor units of the same currency as the values; every row of a
channel adds up (both categories, every period; with --period only the
rows whose period lies inside it, the others counted on stderr, and a row
straddling its bounds is an error). Adds each channel's cost, ROI
((value-cost)/cost, revenue.ROI), ROAS (value/cost) and cost per credited
conversion (engine.Returns), "-" (or null in JSON) where the cost is zero.
A channel with journeys but no spend has cost "-" and no ratios; one with
spend but no journeys earns nothing (ROI -1). Both are warnings on stderr
and in the JSON "warnings".

--bootstrap N adds to every channel a percentile confidence interval of its
credited conversions, value and share (level --ci, default 0.95) from N
bootstrap replicates, resampling journeys on the path aggregate (seeded by
--seed, default 1, so a run is reproducible; the replicates run in parallel).
JSON: "ci" on each channel and "bootstrap" on the result.

--min-journeys N is a privacy threshold for the data-driven models (markov:
per distinct path; shapley, shapley_local_rate: per channel set): units
with fewer than N journeys are dropped (--privacy drop, the default, as
Ads Data Hub filters rows; their conversions become unattributed) or pooled
into one "(pooled)" channel (--privacy pool, as Amazon Marketing Cloud
aggregates filtered rows). What was suppressed is a warning on stderr and
"privacy" in JSON.

With --model all the table ends with the model-disagreement report: the
channels whose share differs most across the models (spread = highest −
lowest share, and which models), and the Spearman rank correlation of the
channel shares between every pair of models (participation left out: its
shares do not sum to 1). --disagreement prints only that report (JSON
with --json).

--lift FILE, CSV "channel,period_start,period_end,incremental_conversions,
lower,upper", sets the model's credit against incrementality experiments
and prints a calibrated attribution, labelled as such: each tested
channel's conversions rescaled to the measured ones (factor = measured /
attributed, its interval the test's bounds / attributed), its value by the
same factor; untested channels unchanged. The input must cover the tests'
period: --period FROM..TO (dates, both days included) keeps only the
journeys that ended in it (converted, or last touched, in the period;
the others are counted as outside the period), and a lift test of another
period is a warning. With --json the calibration is printed instead of
the result.

--choose-order K compares the Markov chains of orders 1..K instead of
crediting: each order's out-of-sample AUC (mean and standard error over
--folds folds, default 5, split by --seed) and log loss of predicting which
journeys convert from their last state, and ChannelAttribution's in-sample
penalised AUC; the recommended order is the smallest within one standard
error of the best cross-validated AUC.

Durations (--half-life, --lookback) are numbers with units w, d, h, m, s
(7d, 36h, 1w2d); --lookback also takes a plain number of days, and 0 (the
default) counts every touch.

Unattributed journeys (no touches, or none inside the lookback window) are
reported separately: conversions in = credited + unattributed. --json
prints the attribution library's encoding of the result: model,
total_conversions and total_value (what the model credits), unattributed
(the rest), and channels, each with conversions, value (money, allocated
to the minor unit so the channels add up to total_value exactly),
value_minor (the unrounded credit), share, and removal effects for markov;
with --spend, returns (engine.Return: key, cost, conversions, value, and
roi, roas as revenue metrics, cac). Money is
{"amount_minor":...,"currency":...}. With all, an array of results.`

// attributeModel builds the named model with the model settings.
func attributeModel(name string, order int, mv attribution.MarkovValueRule, opts ...attribution.ModelOption) (attribution.Model, error) {
	return attribution.ModelByName(name, append([]attribution.ModelOption{attribution.WithOrder(order), attribution.WithMarkovValue(mv)}, opts...)...)
}

// parseHalfLife reads a positive duration in the module's grammar (7d, 168h).
func parseHalfLife(s string) (time.Duration, error) {
	d, err := duration.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a positive duration (w d h m s, e.g. 168h or 7d)", s)
	}
	return d, nil
}

// parseLookback reads the lookback window: 0 for none, a whole number of
// days (the flag's meaning before durations), or a duration (90d, 12w).
func parseLookback(s string) (time.Duration, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("--lookback %d: want 0 or more days, or a duration such as 90d", n)
		}
		// More than 100000 days (273 years) is every touch, as before.
		return time.Duration(min(n, 100000)) * 24 * time.Hour, nil
	}
	d, err := duration.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("--lookback %q: want a duration such as 90d or 12w (w d h m s), a number of days, or 0 for every touch", s)
	}
	return d, nil
}

func runAttribute(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "attribute", attributeSynopsis)
	model := fs.String("model", "", "model `NAME` (see above), or all")
	order := fs.Int("order", 1, "Markov chain order `K` (≥ 1)")
	halfLife := fs.String("half-life", "7d", "time-decay half-life `DURATION` (w d h m s, like 7d or 168h)")
	format := fs.String("format", "touches", "input format: touches or paths")
	spendPath := fs.String("spend", "", "spend `FILE` (CSV period,channel,category,amount)")
	lookbackFlag := fs.String("lookback", "0", "count only touches within `DURATION` before the conversion (90d, or a number of days; 0: all)")
	markovValue := fs.String("markov-value", "removal", "Markov value rule: removal (value removal effects) or share (conversion share x total value)")
	currency := fs.String("currency", string(attribution.DefaultCurrency), "ISO 4217 currency `CODE` of the values and costs")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	grouped := fs.Bool("grouped", false, "require each journey's rows contiguous and in time order (strict, streaming)")
	sortMem := fs.Int("sort-memory", attribution.DefaultSortMemory>>20, "`MiB` of rows held while sorting unsorted input; beyond it sorted runs go to temporary files")
	mapPath := fs.String("channel-map", "", "channel map `FILE` (CSV from,to)")
	fold := fs.Bool("channel-fold", false, "trim and lower-case channel names")
	replicates := fs.Int("bootstrap", 0, "bootstrap `N` replicates for confidence intervals (0: none)")
	level := fs.Float64("ci", 0.95, "confidence `LEVEL` of the bootstrap intervals, in (0, 1)")
	seed := fs.Uint64("seed", 1, "`SEED` of the bootstrap")
	liftPath := fs.String("lift", "", "lift-test `FILE` to calibrate the credit to")
	periodFlag := fs.String("period", "", "keep the journeys that ended from `FROM..TO` (dates, inclusive)")
	disagreement := fs.Bool("disagreement", false, "with --model all, print only the model-disagreement report")
	chooseOrder := fs.Int("choose-order", 0, "compare Markov orders 1..`K` and recommend one, instead of crediting")
	folds := fs.Int("folds", 5, "cross-validation `F`olds of --choose-order")
	minJourneys := fs.Int64("min-journeys", 0, "privacy threshold: data-driven models ignore paths (channel sets) of fewer than `N` journeys")
	privacy := fs.String("privacy", "drop", "what the threshold does with rare journeys: drop or pool")
	if code, ok := parseFlags(fs, args); !ok { // flags may also follow the file
		return code
	}
	pos := fs.Args()

	mv, err := attribution.ParseMarkovValueRule(*markovValue)
	if err != nil {
		return usageError(fs, "--markov-value %q: want removal or share", *markovValue)
	}
	hl, hlErr := parseHalfLife(*halfLife)
	lookback, lbErr := parseLookback(*lookbackFlag)
	cur := money.Currency(*currency)
	switch {
	case len(pos) != 1:
		return usageError(fs, "want exactly one input FILE (or - for standard input), got %d", len(pos))
	case *model == "" && *chooseOrder == 0:
		return usageError(fs, "--model is required")
	case *model != "" && *chooseOrder != 0:
		return usageError(fs, "--choose-order compares Markov orders: give it without --model")
	case *chooseOrder < 0:
		return usageError(fs, "--choose-order %d: want the highest order to compare, 1 or more", *chooseOrder)
	case *sortMem < 1:
		return usageError(fs, "--sort-memory %d: want 1 MiB or more", *sortMem)
	case *liftPath != "" && (*model == "all" || *model == ""):
		return usageError(fs, "--lift calibrates one model: give --model NAME")
	case *disagreement && *model != "all":
		return usageError(fs, "--disagreement compares models: use it with --model all")
	case *folds < 2:
		return usageError(fs, "--folds %d: want 2 or more", *folds)
	case *order < 1:
		return usageError(fs, "--order %d: want 1 or more", *order)
	case hlErr != nil:
		return usageError(fs, "--half-life: %v", hlErr)
	case *format != "touches" && *format != "paths" && *format != "parquet":
		return usageError(fs, "--format %q: want touches, paths or parquet", *format)
	case *format == "parquet" && pos[0] == "-":
		return usageError(fs, "--format parquet reads a file (Parquet needs random access), not standard input")
	case lbErr != nil:
		return usageError(fs, "%v", lbErr)
	case cur.Validate() != nil:
		return usageError(fs, "--currency %q: want an ISO 4217 code such as USD", *currency)
	case *format == "paths" && lookback > 0:
		return usageError(fs, "--lookback needs touch times: use --format touches")
	case *replicates < 0 || *replicates == 1 || *replicates > attribution.MaxReplicates:
		return usageError(fs, "--bootstrap %d: want 0 (none) or 2 to %d replicates", *replicates, attribution.MaxReplicates)
	case !(*level > 0 && *level < 1):
		return usageError(fs, "--ci %g: want a level between 0 and 1, such as 0.95", *level)
	case *minJourneys < 0:
		return usageError(fs, "--min-journeys %d: want 0 (none) or more", *minJourneys)
	}
	var period attribution.Period
	if *periodFlag != "" {
		from, to, ok := strings.Cut(*periodFlag, "..")
		f, ferr := time.Parse(time.DateOnly, from)
		l, terr := time.Parse(time.DateOnly, to)
		if !ok || ferr != nil || terr != nil || l.Before(f) {
			return usageError(fs, "--period %q: want FROM..TO, two dates such as 2026-01-01..2026-01-31", *periodFlag)
		}
		if *format == "paths" {
			return usageError(fs, "--period needs conversion times: use --format touches")
		}
		period = attribution.Period{From: f, To: l.AddDate(0, 0, 1)}
	}
	rule, err := attribution.ParsePrivacyRule(*privacy)
	if err != nil {
		return usageError(fs, "--privacy %q: want drop or pool", *privacy)
	}
	mopts := []attribution.ModelOption{attribution.WithPrivacyThreshold(*minJourneys, rule)}
	names := []string{*model}
	if *chooseOrder > 0 {
		names = nil
	} else if *model == "all" {
		names = attribution.Models()
	} else if m, err := attributeModel(*model, *order, mv, mopts...); err != nil {
		return usageError(fs, "unknown --model %q (want one of %s, or all)", *model, strings.Join(attribution.Models(), ", "))
	} else if *format == "paths" && m.NeedsTimes() {
		return usageError(fs, "--model %s needs touch times and milestones: use --format touches", *model)
	}

	var norm *attribution.ChannelMap
	if *mapPath != "" || *fold {
		var names map[string]string
		if *mapPath != "" {
			if *mapPath == "-" && (pos[0] == "-" || *spendPath == "-") {
				return usageError(fs, "only one of --channel-map, --spend and the input can be standard input")
			}
			r, name, err := openInput(env, *mapPath)
			if err != nil {
				errorf(env, "attribute", "%v", err)
				return exitFindings
			}
			names, err = attribution.ReadChannelMap(ctx, r, name)
			r.Close()
			if err != nil {
				errorf(env, "attribute", "%v", err)
				return exitFindings
			}
		}
		norm, err = attribution.NewChannelMap(attribution.ChannelRules{Trim: *fold, Fold: *fold, Names: names})
		if err != nil {
			errorf(env, "attribute", "%s: %v", *mapPath, err)
			return exitFindings
		}
	}

	var lift []attribution.LiftTest
	if *liftPath != "" {
		if *liftPath == "-" && (pos[0] == "-" || *spendPath == "-" || *mapPath == "-") {
			return usageError(fs, "only one of --lift, --channel-map, --spend and the input can be standard input")
		}
		r, name, err := openInput(env, *liftPath)
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		lift, err = attribution.ReadLiftTests(ctx, r, name, attribution.WithChannelMap(norm))
		r.Close()
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
	}

	var spend []record.Spend
	if *spendPath != "" {
		if *spendPath == "-" && pos[0] == "-" {
			return usageError(fs, "--spend and the input cannot both be standard input")
		}
		r, name, err := openInput(env, *spendPath)
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		var outside int
		spend, outside, err = readAttributeSpend(ctx, r, name, cur, norm, period)
		r.Close()
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		if outside > 0 {
			errorf(env, "attribute", "left out %d spend rows outside --period", outside)
		}
	}

	r, name, err := openInput(env, pos[0])
	if err != nil {
		errorf(env, "attribute", "%v", err)
		return exitFindings
	}
	opts := []attribution.Option{attribution.WithHalfLife(hl), attribution.WithLookback(lookback), attribution.WithCurrency(cur),
		attribution.WithChannelMap(norm)}
	if *grouped {
		opts = append(opts, attribution.WithRowOrder(attribution.Grouped))
	}
	opts = append(opts, attribution.WithSortMemory(*sortMem<<20))
	if !period.IsZero() {
		opts = append(opts, attribution.WithPeriod(period.From, period.To))
	}
	var agg *attribution.Aggregate
	if *format == "paths" {
		agg, err = attribution.ReadPaths(ctx, r, name, opts...)
	} else if f, ok := r.(*os.File); *format == "parquet" && ok {
		var st os.FileInfo
		if st, err = f.Stat(); err == nil {
			agg, err = attribution.ReadTouchesParquet(ctx, f, st.Size(), name, opts...)
		}
	} else {
		agg, err = attribution.ReadTouches(ctx, r, name, opts...)
	}
	r.Close()
	if err != nil {
		errorf(env, "attribute", "%v", err)
		return exitFindings
	}

	if *chooseOrder > 0 {
		sel, err := attribution.ChooseOrder(ctx, agg, *chooseOrder, attribution.OrderConfig{Folds: *folds, Seed: *seed})
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		err = writeJSONOr(env.Stdout, *asJSON, sel, func(w io.Writer) error { return writeOrderSelection(w, agg, sel) })
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		return exitOK
	}

	var results []*attribution.Result
	var skipped []string
	var ran []attribution.Model // the models that gave a result
	models := make([]attribution.Model, len(names))
	for i, n := range names {
		m, err := attributeModel(n, *order, mv, mopts...)
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		models[i] = m
	}
	runs, runErrs := runModels(ctx, agg, models)
	for i, m := range models {
		res, err := runs[i], runErrs[i]
		if err != nil {
			if len(names) > 1 && (errors.Is(err, attribution.ErrNeedsTimes) || errors.Is(err, attribution.ErrNoConversions)) {
				skipped = append(skipped, err.Error())
				results = append(results, nil)
				continue
			}
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		results = append(results, res)
		ran = append(ran, m)
	}
	if *replicates > 0 && len(ran) > 0 {
		boot, err := attribution.Bootstrap(ctx, agg, attribution.BootstrapConfig{Replicates: *replicates, Level: *level, Seed: *seed}, ran...)
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		for i := range results {
			if results[i] != nil {
				results[i], boot = boot[0], boot[1:]
			}
		}
	}
	for _, s := range skipped {
		errorf(env, "attribute", "skipped %s", s)
	}
	for _, w := range attributeWarnings(results, spend) {
		errorf(env, "attribute", "warning: %s", w.Msg)
	}
	if *disagreement {
		d, err := attribution.Compare(results...)
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		err = writeJSONOr(env.Stdout, *asJSON, d, func(w io.Writer) error { return writeDisagreement(w, d) })
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		return exitOK
	}
	if *liftPath != "" {
		cal, err := attribution.Calibrate(results[0], lift)
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		for _, w := range cal.Warnings {
			errorf(env, "attribute", "warning: %s", w.Msg)
		}
		for _, lt := range lift {
			tp := attribution.Period{From: lt.Start, To: lt.End.AddDate(0, 0, 1)}
			if tp != period {
				what := "the journeys are not limited to it (--period)"
				if !period.IsZero() {
					what = "not the --period " + *periodFlag
				}
				errorf(env, "attribute", "warning: the lift test of %q covers %s..%s, %s", lt.Channel,
					lt.Start.Format(time.DateOnly), lt.End.Format(time.DateOnly), what)
			}
		}
		err = writeJSONOr(env.Stdout, *asJSON, cal, func(w io.Writer) error {
			if err := writeAttributeTable(w, agg, results[0], spend); err != nil {
				return err
			}
			return writeCalibration(w, cal)
		})
		if err != nil {
			errorf(env, "attribute", "%v", err)
			return exitFindings
		}
		return exitOK
	}
	if *asJSON {
		err = writeAttributeJSON(env.Stdout, results, spend, len(names) > 1)
	} else if len(names) > 1 {
		err = writeAttributeAll(env.Stdout, agg, names, results, *order, mv)
	} else {
		err = writeAttributeTable(env.Stdout, agg, results[0], spend)
	}
	if err != nil {
		errorf(env, "attribute", "%v", err)
		return exitFindings
	}
	return exitOK
}

// attributeReport is a Result with its channels' returns on the spend
// (engine.Returns), the shape --spend --json prints: the Result's fields
// (its warnings followed by engine.SpendWarnings), then returns.
type attributeReport struct {
	*attribution.Result
	Returns []engine.Return `json:"returns"`
}

// newAttributeReport is res with its returns on spend.
func newAttributeReport(res *attribution.Result, spend []record.Spend) (*attributeReport, error) {
	rets, err := engine.Returns(res, spend)
	if err != nil {
		return nil, err
	}
	cp := *res
	cp.Warnings = append(append([]attribution.Warning(nil), res.Warnings...), engine.SpendWarnings(res, spend)...)
	return &attributeReport{Result: &cp, Returns: rets}, nil
}

// readAttributeSpend reads --spend with record.ReadSpend and renames its
// channels through the channel map. With a period it keeps the rows whose
// period lies inside it and counts the others (outside); a row straddling
// the period's bounds is an error, as its cost cannot be split exactly.
// The result is never nil, so that an empty table still means "spend given".
func readAttributeSpend(ctx context.Context, r io.Reader, name string, cur money.Currency, norm *attribution.ChannelMap, period attribution.Period) (spend []record.Spend, outside int, err error) {
	all, err := record.ReadSpend(ctx, r, name, record.WithCurrency(cur))
	if err != nil {
		return nil, 0, err
	}
	spend = make([]record.Spend, 0, len(all))
	for _, s := range all {
		if norm != nil {
			if s.Channel = norm.Normalize(s.Channel); s.Channel == "" {
				return nil, 0, fmt.Errorf("%s:%d: channel: empty after normalisation", name, s.Line)
			}
		}
		if !period.IsZero() {
			switch {
			case !s.Period.End.After(period.From) || !s.Period.Start.Before(period.To):
				outside++
				continue
			case s.Period.Start.Before(period.From) || s.Period.End.After(period.To):
				return nil, 0, fmt.Errorf("%s:%d: period: %v straddles --period %s..%s: split the row", name, s.Line, s.Period,
					period.From.Format(time.DateOnly), period.To.AddDate(0, 0, -1).Format(time.DateOnly))
			}
		}
		spend = append(spend, s)
	}
	return spend, outside, nil
}

// writeAttributeJSON prints the library's encoding: the Result (with
// --spend an attributeReport), or with all an array of them.
func writeAttributeJSON(w io.Writer, results []*attribution.Result, spend []record.Spend, all bool) error {
	var docs []any
	for _, r := range results {
		if r == nil {
			continue // skipped
		}
		if spend == nil {
			docs = append(docs, r)
			continue
		}
		rep, err := newAttributeReport(r, spend)
		if err != nil {
			return err
		}
		docs = append(docs, rep)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if !all {
		return enc.Encode(docs[0])
	}
	if docs == nil {
		docs = []any{}
	}
	return enc.Encode(docs)
}

func modelTitle(res *attribution.Result) string {
	switch {
	case res.Markov != nil:
		rule := "removal effects"
		if res.Markov.ValueRule == attribution.ShareValue {
			rule = "conversion share x total value"
		}
		return fmt.Sprintf("markov (order %d, value: %s)", res.Markov.Order, rule)
	case res.Estimate != nil:
		return fmt.Sprintf("%s (sampled estimate, %d permutations, seed %d)", res.Model, res.Estimate.Samples, res.Estimate.Seed)
	}
	return res.Model
}

func writeAttributeHeader(w io.Writer, agg *attribution.Aggregate) {
	in, un := agg.Totals(), agg.Unattributed()
	fmt.Fprintf(w, "journeys %d, conversions %d, value_minor %d; unattributed: %d journeys, %d conversions, value_minor %d\n",
		in.Journeys, in.Conversions, in.Value.Amount, un.Journeys, un.Conversions, un.Value.Amount)
	if p := agg.Period(); !p.IsZero() {
		out := agg.OutsidePeriod()
		fmt.Fprintf(w, "period %s to %s; outside it: %d journeys, %d conversions, value_minor %d\n",
			p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly), out.Journeys, out.Conversions, out.Value.Amount)
	}
}

func optFloat(p *float64, format string) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf(format, *p)
}

func writeAttributeTable(w io.Writer, agg *attribution.Aggregate, res *attribution.Result, spend []record.Spend) error {
	var list []engine.Return
	hasSpend := map[string]bool{}
	if spend != nil {
		var err error
		if list, err = engine.Returns(res, spend); err != nil {
			return err
		}
		for _, s := range spend {
			hasSpend[s.Channel] = true
		}
	}
	fmt.Fprintf(w, "model: %s\n", modelTitle(res))
	writeAttributeHeader(w, agg)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "channel\tconversions\tvalue_minor\tshare\t"
	if res.Markov != nil {
		head += "removal_effect\t"
	}
	if res.Bootstrap != nil {
		head += fmt.Sprintf("conversions_%s\tshare_%s\t", ciName(res.Bootstrap), ciName(res.Bootstrap))
	}
	if spend != nil {
		head += "cost_minor\troas\troi\tcost_per_conversion\t"
	}
	var rets map[string]engine.Return
	rows := res.Channels
	if spend != nil {
		rets = map[string]engine.Return{}
		rows = nil
		for _, ret := range list {
			rets[ret.Key] = ret
			c, ok := res.Channel(ret.Key)
			if !ok {
				c = attribution.ChannelCredit{Channel: ret.Key}
			}
			rows = append(rows, c)
		}
	}
	var conv, value, share float64
	width := channelWidth(rowNames(rows))
	fmt.Fprintln(tw, fmt.Sprintf("%-*s", width, "channel")+strings.TrimPrefix(head, "channel"))
	for _, c := range rows {
		line := fmt.Sprintf("%-*s\t%.4f\t%.2f\t%.2f%%\t", width, c.Channel, c.Conversions, c.ValueMinor, 100*c.Share)
		if res.Markov != nil {
			line += fmt.Sprintf("%.6f\t", c.RemovalEffect)
		}
		if res.Bootstrap != nil {
			line += ciCells(c.CI)
		}
		if spend != nil {
			ret := rets[c.Channel]
			cost, roas, roi, cac := "-", "-", "-", "-"
			if hasSpend[c.Channel] {
				cost = strconv.FormatInt(ret.Cost.Amount, 10)
			}
			if ret.ROAS != nil {
				roas = fmt.Sprintf("%.4f", ret.ROAS.Value)
			}
			if ret.ROI != nil {
				roi = fmt.Sprintf("%.4f", ret.ROI.Value)
			}
			if ret.CAC != nil {
				cac = fmt.Sprintf("%.2f", ret.CAC.Exact)
			}
			line += fmt.Sprintf("%s\t%s\t%s\t%s\t", cost, roas, roi, cac)
		}
		fmt.Fprintln(tw, line)
		conv += c.Conversions
		value += c.ValueMinor
		share += c.Share
	}
	fmt.Fprintf(tw, "%-*s\t%.4f\t%.2f\t%.2f%%\t\n", width, "total", conv, value, 100*share)
	if err := tw.Flush(); err != nil {
		return err
	}
	writeBootstrapNote(w, []*attribution.Result{res})
	writeRenamed(w, res.Renamed)
	return nil
}

// writeDisagreement prints the model-disagreement report.
func writeDisagreement(w io.Writer, d *attribution.Disagreement) error {
	fmt.Fprintln(w, "\nmodel disagreement (share of conversions; largest spread first)")
	names := make([]string, len(d.Channels))
	for i, c := range d.Channels {
		names[i] = c.Channel
	}
	width := channelWidth(names)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tspread\tlowest\tmodel\thighest\tmodel\t\n", width, "channel")
	for _, c := range d.Channels {
		fmt.Fprintf(tw, "%-*s\t%.2f%%\t%.2f%%\t%s\t%.2f%%\t%s\t\n", width, c.Channel, 100*c.Spread, 100*c.Min, c.MinModel, 100*c.Max, c.MaxModel)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nSpearman rank correlation of the channel shares")
	mw := len("model")
	for _, m := range d.Models {
		mw = max(mw, len(m))
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\t%s\t\n", mw, "model", strings.Join(d.Models, "\t"))
	rho := map[[2]string]*float64{}
	for _, p := range d.Pairs {
		rho[[2]string{p.A, p.B}], rho[[2]string{p.B, p.A}] = p.Spearman, p.Spearman
	}
	for _, a := range d.Models {
		cells := []string{fmt.Sprintf("%-*s", mw, a)}
		for _, b := range d.Models {
			switch r, ok := rho[[2]string{a, b}]; {
			case a == b:
				cells = append(cells, "1")
			case !ok || r == nil:
				cells = append(cells, "n/a")
			default:
				cells = append(cells, fmt.Sprintf("%.3f", *r))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	return tw.Flush()
}

// writeCalibration prints the calibrated attribution beside the model's.
func writeCalibration(w io.Writer, cal *attribution.Calibration) error {
	fmt.Fprintf(w, "\n%s (%s, method: %s: measured incremental / attributed conversions)\n", strings.ToUpper(cal.Label[:1])+cal.Label[1:], cal.Model, cal.Method)
	names := make([]string, len(cal.Channels))
	for i, c := range cal.Channels {
		names[i] = c.Channel
	}
	width := channelWidth(names)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tattributed\tmeasured\tinterval\tfactor\tfactor_interval\tcalibrated\tvalue_minor\t\n", width, "channel")
	for _, c := range cal.Channels {
		measured, iv, f, fiv := "-", "-", "-", "-"
		if c.Test != nil {
			measured = fmt.Sprintf("%.4f", c.Test.Incremental)
			iv = fmt.Sprintf("%.4f..%.4f", c.Test.Low, c.Test.High)
		}
		if c.Factor != nil {
			f = fmt.Sprintf("%.4f", *c.Factor)
			fiv = fmt.Sprintf("%.4f..%.4f", *c.FactorLow, *c.FactorHigh)
		}
		conv := fmt.Sprintf("%.4f", c.Conversions)
		if !c.Calibrated {
			conv += " (not calibrated)"
		}
		fmt.Fprintf(tw, "%-*s\t%.4f\t%s\t%s\t%s\t%s\t%s\t%.2f\t\n", width, c.Channel, c.Attributed, measured, iv, f, fiv, conv, c.ValueMinor)
	}
	fmt.Fprintf(tw, "%-*s\t\t\t\t\t\t%.4f\t\t\n", width, "total", cal.TotalConversions)
	return tw.Flush()
}

// writeOrderSelection prints ChooseOrder's evidence, one row per order.
func writeOrderSelection(w io.Writer, agg *attribution.Aggregate, sel *attribution.OrderSelection) error {
	fmt.Fprintf(w, "markov order selection (%d folds, seed %d)\n", sel.Folds, sel.Seed)
	writeAttributeHeader(w, agg)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "order\tstates\tcv_auc\tstd_err\tcv_log_loss\tin_sample_auc\tpenalized_auc\t")
	for _, o := range sel.Orders {
		mark := ""
		if o.Order == sel.Recommended {
			mark = " *"
		}
		fmt.Fprintf(tw, "%d%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t\n", o.Order, mark, o.States, o.AUC, o.AUCStdErr, o.LogLoss, o.InSampleAUC, o.PenalizedAUC)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nrecommended order: %d (the smallest whose cross-validated AUC is within one standard error of the best)\n", sel.Recommended)
	return nil
}

// ciName names the interval columns, e.g. ci95.
func ciName(b *attribution.BootstrapInfo) string {
	return "ci" + strconv.FormatFloat(100*b.Level, 'f', -1, 64)
}

// ciCells formats an interval's conversions and share cells.
func ciCells(iv *attribution.Interval) string {
	if iv == nil {
		return "-\t-\t"
	}
	return fmt.Sprintf("%.4f..%.4f\t%.2f%%..%.2f%%\t", iv.Conversions[0], iv.Conversions[1], 100*iv.Share[0], 100*iv.Share[1])
}

// writeBootstrapNote says how the intervals were made.
func writeBootstrapNote(w io.Writer, results []*attribution.Result) {
	for _, r := range results {
		if r != nil && r.Bootstrap != nil {
			b := r.Bootstrap
			fmt.Fprintf(w, "\n%g%% percentile intervals from %d bootstrap replicates (seed %d)", 100*b.Level, b.Replicates, b.Seed)
			if b.Failed > 0 {
				fmt.Fprintf(w, "; %d replicates without conversions left out", b.Failed)
			}
			fmt.Fprintln(w)
			return
		}
	}
}

// writeRenamed lists the channel names the channel map changed.
func writeRenamed(w io.Writer, renamed []attribution.Rename) {
	if len(renamed) == 0 {
		return
	}
	fmt.Fprintln(w, "\nchannels renamed:")
	for _, r := range renamed {
		fmt.Fprintf(w, "  %q -> %q (%d touches)\n", r.From, r.To, r.Touches)
	}
}

// attributeWarnings is every warning of the results (and, with spend,
// of their reports), each once, in order.
func attributeWarnings(results []*attribution.Result, spend []record.Spend) []attribution.Warning {
	var out []attribution.Warning
	seen := map[attribution.Warning]bool{}
	for _, r := range results {
		if r == nil {
			continue
		}
		ws := r.Warnings
		if spend != nil {
			ws = append(append([]attribution.Warning(nil), ws...), engine.SpendWarnings(r, spend)...)
		}
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

func writeAttributeAll(w io.Writer, agg *attribution.Aggregate, names []string, results []*attribution.Result, order int, mv attribution.MarkovValueRule) error {
	fmt.Fprintf(w, "all models (markov order %d, value: %s)\n", order, mv)
	writeAttributeHeader(w, agg)
	channels := agg.Channels()
	width := channelWidth(channels)
	for _, part := range []struct {
		title string
		get   func(attribution.ChannelCredit) float64
		fmt   string
	}{
		{"credited conversions", func(c attribution.ChannelCredit) float64 { return c.Conversions }, "%.4f"},
		{"credited value_minor", func(c attribution.ChannelCredit) float64 { return c.ValueMinor }, "%.2f"},
	} {
		fmt.Fprintf(w, "\n%s\n", part.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%-*s\t%s\t\n", width, "channel", strings.Join(names, "\t"))
		totals := make([]float64, len(names))
		for _, ch := range channels {
			cells := []string{fmt.Sprintf("%-*s", width, ch)}
			for i, r := range results {
				if r == nil {
					cells = append(cells, "n/a")
					continue
				}
				c, _ := r.Channel(ch)
				v := part.get(c)
				totals[i] += v
				cells = append(cells, fmt.Sprintf(part.fmt, v))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		cells := []string{fmt.Sprintf("%-*s", width, "total")}
		for i, r := range results {
			if r == nil {
				cells = append(cells, "n/a")
				continue
			}
			cells = append(cells, fmt.Sprintf(part.fmt, totals[i]))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	var boot *attribution.BootstrapInfo
	for _, r := range results {
		if r != nil && r.Bootstrap != nil {
			boot = r.Bootstrap
		}
	}
	if boot != nil {
		fmt.Fprintf(w, "\nshare, %g%% interval\n", 100*boot.Level)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%-*s\t%s\t\n", width, "channel", strings.Join(names, "\t"))
		for _, ch := range channels {
			cells := []string{fmt.Sprintf("%-*s", width, ch)}
			for _, r := range results {
				var c attribution.ChannelCredit
				if r != nil {
					c, _ = r.Channel(ch)
				}
				if c.CI == nil {
					cells = append(cells, "n/a")
					continue
				}
				cells = append(cells, fmt.Sprintf("%.2f..%.2f%%", 100*c.CI.Share[0], 100*c.CI.Share[1]))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		writeBootstrapNote(w, results)
	}
	fmt.Fprintln(w, "\nparticipation credits every channel of a converting journey in full, so its column need not sum to the total.")
	if d, err := attribution.Compare(results...); err == nil {
		if err := writeDisagreement(w, d); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r != nil {
			writeRenamed(w, r.Renamed)
			break
		}
	}
	return nil
}

func rowNames(rows []attribution.ChannelCredit) []string {
	out := make([]string, len(rows))
	for i, c := range rows {
		out[i] = c.Channel
	}
	return out
}

// channelWidth is the width of the channel column: tabwriter aligns every
// column right, so names are padded to one width to read left-aligned.
func channelWidth(names []string) int {
	w := len("channel")
	for _, n := range names {
		w = max(w, len(n))
	}
	return w
}

// runModels runs the models on the built aggregate, up to GOMAXPROCS at
// once (a built Aggregate is safe for concurrent reads), and returns their
// results and errors by index, so that what is printed, and which error
// wins, is the sequential run's whatever the scheduling.
func runModels(ctx context.Context, agg *attribution.Aggregate, models []attribution.Model) ([]*attribution.Result, []error) {
	results := make([]*attribution.Result, len(models))
	errs := make([]error, len(models))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, m := range models {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = attribution.Run(ctx, agg, m)
		}()
	}
	wg.Wait()
	return results, errs
}

// writeJSONOr writes v as indented JSON when asJSON, else what text writes.
func writeJSONOr(w io.Writer, asJSON bool, v any, text func(io.Writer) error) error {
	if !asJSON {
		return text(w)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
