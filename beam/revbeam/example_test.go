package revbeam_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/beam/revbeam"
)

// Attribution over touch CSV shards: every model's result as a JSON line,
// in one file whose bytes do not depend on the runner, and the rejects.
// (Not run by go test: it needs a runner; the package's tests run the same
// pipeline on prism.)
func ExampleAttribution() {
	p, s := beam.NewPipelineWithRoot()
	cfg := revbeam.AttributionConfig{HalfLife: 7 * 24 * time.Hour, MarkovOrder: 2}
	out := revbeam.Attribution(s, cfg, revbeam.ReadFiles(s, "touches/*.csv"))
	textio.Write(s, "results.jsonl", revbeam.SortedText(s, beam.DropKey(s, out.Results)))
	textio.Write(s, "rejects.txt", out.Rejects)
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatal(err)
	}
}

// Batch scoring with a rules file shipped to the workers, and the funnel's
// stage counts per week. (Not run by go test: it needs a runner.)
func ExampleScore() {
	src, err := os.ReadFile("rules.yaml")
	if err != nil {
		log.Fatal(err)
	}
	rules, err := revbeam.NewRules("rules.yaml", src)
	if err != nil {
		log.Fatal(err) // every problem of the rules file, with its position
	}
	p, s := beam.NewPipelineWithRoot()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	out := revbeam.Score(s, rules, at, revbeam.ReadFiles(s, "leads/*.jsonl"))
	textio.Write(s, "scored.jsonl", revbeam.ScoredLines(s, out.Scored))
	textio.Write(s, "rejects.txt", revbeam.RejectLines(s, out.Rejects))
	textio.Write(s, "funnel.jsonl", revbeam.SortedText(s, revbeam.FunnelLines(s, revbeam.FunnelCounts(s, revbeam.Week, out.Scored))))
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatal(err)
	}
}

// RunModel is what the pipeline runs on the combined aggregate. One journey,
// email then paid_search, converting for 100.00: linear gives each half of the
// conversion and 50.00.
func ExampleRunModel() {
	agg, err := attribution.ReadTouches(context.Background(), strings.NewReader(
		"journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n"+
			"j1,2026-01-01T00:00:00Z,email,0,0,1,10000,2026-01-03T00:00:00Z\n"+
			"j1,2026-01-02T00:00:00Z,paid_search,0,0,1,10000,2026-01-03T00:00:00Z\n"), "j.csv")
	if err != nil {
		log.Fatal(err)
	}
	r := revbeam.RunModel(context.Background(), agg, "linear")
	for _, c := range r.Result.Channels {
		fmt.Println(c.Channel, c.Conversions, c.Value.Amount)
	}
	// Output:
	// email 0.5 5000
	// paid_search 0.5 5000
}

// Period labels of the funnel counts, in UTC.
func ExamplePeriod_Label() {
	t := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	fmt.Println(revbeam.Day.Label(t), revbeam.Week.Label(t), revbeam.Month.Label(t))
	// Output: 2026-11-23 2026-W48 2026-11
}

// The revenue-engine view over shard directories (each one what
// `revengine kpis DIR` reads), written as `revengine kpis --json` prints it.
// (Not run by go test: it needs a runner; the package's tests run the same
// pipeline on prism.)
func ExampleKPIs() {
	cfg := revbeam.KPIConfig{Period: "quarter", Model: "w_shaped", SLA: map[string]time.Duration{"sal": 72 * time.Hour}}
	if _, err := cfg.Engine(); err != nil {
		log.Fatal(err) // an invalid setting, before the pipeline is built
	}
	p, s := beam.NewPipelineWithRoot()
	dirs, err := revbeam.ShardDirs(s, "shards/*")
	if err != nil {
		log.Fatal(err)
	}
	out := revbeam.KPIs(s, cfg, dirs)
	textio.Write(s, "view.json", out.View)
	textio.Write(s, "rejects.txt", revbeam.SortedText(s, out.Rejects))
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatal(err)
	}
}

// A KPI configuration the engine refuses is reported before any pipeline.
func ExampleKPIConfig_Engine() {
	_, err := revbeam.KPIConfig{Period: "week"}.Engine()
	fmt.Println(err)
	// Output: engine: invalid input: period "week" is not month or quarter
}
