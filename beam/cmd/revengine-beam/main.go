// Command revengine-beam runs revengine's attribution, batch scoring and
// funnel counts as an Apache Beam pipeline: locally on the prism runner, or
// on Dataflow, Flink or Spark with Beam's own flags.
//
//	revengine-beam --pipeline attribute --input 'touches/*.csv' \
//	    --output results.jsonl --rejects rejects.txt [--models linear,markov]
//	    [--order K] [--half-life 7d] [--lookback 90d] [--currency USD] [--grouped]
//	revengine-beam --pipeline score --rules rules.yaml --input 'leads/*.jsonl' \
//	    --output scored.jsonl --rejects rejects.txt [--at RFC3339]
//	    [--strict=false] [--funnel funnel.jsonl --period day|week|month]
//	revengine-beam --pipeline kpis --input 'shards/*' --output view.json \
//	    --rejects rejects.txt [--granularity month|quarter] [--model linear]
//	    [--order K] [--currency USD] [--sla mql=24h,sal=3d] [--as-of RFC3339]
//
// For kpis, --input is a glob of local shard directories, each holding the
// files "revengine kpis DIR" reads; the output is the view JSON that
// "revengine kpis --json" prints on all of them together.
//
// The runner is chosen by Beam's --runner flag (default: prism, in process);
// see the README section "When one machine is not enough" for Dataflow,
// Flink and Spark.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/revengine/revengine/beam/revbeam"
)

var (
	pipeline = flag.String("pipeline", "", "`attribute`, score or kpis")
	input    = flag.String("input", "", "input `glob` (touch CSV for attribute, lead JSON lines or arrays for score, shard directories for kpis)")
	output   = flag.String("output", "", "output `file`: model results (attribute) or scored leads (score), JSON lines; the view JSON (kpis)")
	rejects  = flag.String("rejects", "", "dead-letter `file`: every rejected line, file or journey with its position")

	models   = flag.String("models", "", "attribute: comma-separated model `names` (default: all)")
	order    = flag.Int("order", 1, "attribute: Markov chain `order`")
	halfLife = flag.String("half-life", "7d", "attribute: time-decay half-life (`duration`: 36h, 7d, 2w)")
	lookback = flag.String("lookback", "", "attribute: lookback window (`duration`; default none)")
	currency = flag.String("currency", "USD", "attribute: currency `code` of the values")
	grouped  = flag.Bool("grouped", false, "attribute: no journey is split over several files (skips a shuffle)")

	rulesFile = flag.String("rules", "", "score: rules `file` (YAML), shipped to the workers")
	atFlag    = flag.String("at", "", "score: evaluation `time`, RFC 3339 (default: now)")
	strict    = flag.Bool("strict", true, "score: reject leads with keys, event types or event properties the rules do not declare (--strict=false: score them and list what was ignored)")
	funnel    = flag.String("funnel", "", "score: also write funnel stage counts to this `file`")
	period    = flag.String("period", "week", "score: funnel `period`: day, week or month")

	granularity = flag.String("granularity", "month", "kpis: length of the view's periods: `month` or quarter")
	model       = flag.String("model", "linear", "kpis: attribution `model` of the view")
	sla         = flag.String("sla", "", "kpis: SLA per stage for changes without a deadline, e.g. `mql=24h,sal=3d`")
	asOf        = flag.String("as-of", "", "kpis: RFC 3339 `time` the data was extracted (default: the latest stage change)")
)

func main() {
	flag.Parse()
	beam.Init()
	if err := runMain(context.Background()); err != nil {
		log.SetFlags(0)
		log.Fatalf("revengine-beam: %v", err)
	}
}

func runMain(ctx context.Context) error {
	if *input == "" || *output == "" || *rejects == "" {
		return errors.New("--input, --output and --rejects are required")
	}
	p, s := beam.NewPipelineWithRoot()
	switch *pipeline {
	case "kpis":
		cfg, err := kpiConfig()
		if err != nil {
			return err
		}
		dirs, err := revbeam.ShardDirs(s, *input)
		if err != nil {
			return err
		}
		out := revbeam.KPIs(s, cfg, dirs)
		textio.Write(s, *output, out.View)
		textio.Write(s, *rejects, revbeam.SortedText(s, out.Rejects))
	case "attribute":
		files := revbeam.ReadFiles(s, *input)
		cfg, err := attributionConfig()
		if err != nil {
			return err
		}
		out := revbeam.Attribution(s, cfg, files)
		textio.Write(s, *output, revbeam.SortedText(s, beam.DropKey(s, out.Results)))
		textio.Write(s, *rejects, revbeam.SortedText(s, out.Rejects))
	case "score":
		src, err := os.ReadFile(*rulesFile)
		if err != nil {
			return fmt.Errorf("--rules: %w", err)
		}
		rules, err := revbeam.NewRules(*rulesFile, src)
		if err != nil {
			return err
		}
		rules.Relaxed = !*strict
		at := time.Now().UTC() // the command line is the edge where the clock is read
		if *atFlag != "" {
			if at, err = time.Parse(time.RFC3339Nano, *atFlag); err != nil {
				return fmt.Errorf("--at: want RFC 3339 such as 2026-11-23T09:00:00Z, got %q", *atFlag)
			}
		}
		out := revbeam.Score(s, rules, at, revbeam.ReadFiles(s, *input))
		textio.Write(s, *output, revbeam.ScoredLines(s, out.Scored))
		textio.Write(s, *rejects, revbeam.SortedText(s, revbeam.RejectLines(s, out.Rejects)))
		if *funnel != "" {
			per, err := revbeam.ParsePeriod(*period)
			if err != nil {
				return err
			}
			textio.Write(s, *funnel, revbeam.SortedText(s, revbeam.FunnelLines(s, revbeam.FunnelCounts(s, per, out.Scored))))
		}
	default:
		return fmt.Errorf("--pipeline: want attribute, score or kpis, got %q", *pipeline)
	}
	// A dead-letter file exists even when nothing was rejected (Beam writes
	// no file for an empty output): create it empty first.
	for _, path := range []string{*rejects, *funnel} {
		if err := touch(ctx, path); err != nil {
			return err
		}
	}
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		return err
	}
	if res != nil {
		for _, c := range res.Metrics().AllMetrics().Counters() {
			if strings.HasPrefix(c.Namespace(), "revengine.") {
				fmt.Fprintf(os.Stderr, "%s/%s: %d\n", c.Namespace(), c.Name(), c.Result())
			}
		}
	}
	return nil
}

// touch creates path empty, on whichever Beam filesystem it names.
func touch(ctx context.Context, path string) error {
	if path == "" {
		return nil
	}
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return err
	}
	return w.Close()
}

func kpiConfig() (revbeam.KPIConfig, error) {
	cfg := revbeam.KPIConfig{Currency: *currency, Period: *granularity, Model: *model, MarkovOrder: *order}
	if *sla != "" {
		cfg.SLA = map[string]time.Duration{}
		for _, kv := range strings.Split(*sla, ",") {
			k, v, ok := strings.Cut(kv, "=")
			d, err := parseDuration(v)
			if !ok || k == "" || err != nil {
				return cfg, fmt.Errorf("--sla: want stage=duration pairs such as mql=24h,sal=3d, got %q", kv)
			}
			cfg.SLA[k] = d
		}
	}
	if *asOf != "" {
		t, err := time.Parse(time.RFC3339Nano, *asOf)
		if err != nil {
			return cfg, fmt.Errorf("--as-of: want RFC 3339, got %q", *asOf)
		}
		cfg.AsOf = t
	}
	_, err := cfg.Engine()
	return cfg, err
}

func attributionConfig() (revbeam.AttributionConfig, error) {
	cfg := revbeam.AttributionConfig{Currency: *currency, MarkovOrder: *order, Grouped: *grouped}
	if *models != "" {
		cfg.Models = strings.Split(*models, ",")
	}
	var err error
	if cfg.HalfLife, err = parseDuration(*halfLife); err != nil {
		return cfg, fmt.Errorf("--half-life: %w", err)
	}
	if *lookback != "" {
		if cfg.Lookback, err = parseDuration(*lookback); err != nil {
			return cfg, fmt.Errorf("--lookback: %w", err)
		}
	}
	return cfg, cfg.Validate()
}

// parseDuration reads a Go duration or a whole number of days ("7d") or
// weeks ("2w"), as the revengine CLI's flags do.
func parseDuration(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			if err != nil || v <= 0 || v > int64(1<<62)/int64(unit) {
				return 0, fmt.Errorf("invalid duration %q", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	return d, nil
}
