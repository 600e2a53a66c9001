package revbeam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/revengine/revengine/attribution"
)

// reference runs every model of cfg in one process on the whole input, as
// `revengine attribute` does: ReadTouches, then attribution.Run.
func reference(t *testing.T, cfg AttributionConfig, whole []byte) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	agg, err := attribution.ReadTouches(ctx, bytes.NewReader(whole), "whole.csv", cfg.options()...)
	if err != nil {
		t.Fatalf("single-process read: %v", err)
	}
	out := map[string][]byte{}
	for _, name := range cfg.models() {
		b, err := json.Marshal(RunModel(ctx, agg, name, cfg.modelOptions()...))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// runAttribution runs the Attribution transform on prism over the files
// matching glob and returns the result line of each model and the rejects.
func runAttribution(t *testing.T, cfg AttributionConfig, glob string) (map[string][]byte, []string, map[string]int64) {
	t.Helper()
	dir := t.TempDir()
	p, s := beam.NewPipelineWithRoot()
	out := Attribution(s, cfg, ReadFiles(s, glob))
	resPath := write(s, dir, "results.jsonl", SortedText(s, beam.DropKey(s, out.Results)))
	rejPath := write(s, dir, "rejects.txt", out.Rejects)
	counters := run(t, p)
	got := map[string][]byte{}
	for _, l := range readLines(t, resPath) {
		var mr struct {
			Model string `json:"model"`
		}
		if err := json.Unmarshal([]byte(l), &mr); err != nil {
			t.Fatalf("result line %q: %v", l, err)
		}
		got[mr.Model] = []byte(l)
	}
	return got, readLines(t, rejPath), counters
}

func compareModels(t *testing.T, cfg AttributionConfig, want, got map[string][]byte) {
	t.Helper()
	for _, name := range cfg.models() {
		g, ok := got[name]
		if !ok {
			t.Errorf("model %s: no result from the pipeline", name)
			continue
		}
		if err := sameJSON(want[name], g); err != nil {
			t.Errorf("model %s: pipeline differs from the single-process run: %v", name, err)
		}
	}
	if len(got) != len(cfg.models()) {
		t.Errorf("got %d model results, want %d", len(got), len(cfg.models()))
	}
}

// shardSample writes the sample journeys into k files in a new directory,
// journeys dealt round robin, and returns the glob and the journey count.
func shardSample(t *testing.T, whole []byte, k int) (string, int) {
	t.Helper()
	dir := t.TempDir()
	lines := strings.Split(strings.TrimRight(string(whole), "\n"), "\n")
	header, rows := lines[0], lines[1:]
	shards := make([][]string, k)
	n, last := -1, ""
	for _, r := range rows {
		id := r[:strings.IndexByte(r, ',')]
		if id != last {
			n, last = n+1, id
		}
		shards[n%k] = append(shards[n%k], r)
	}
	for i, sh := range shards {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.csv", i)), []byte(header+"\n"+strings.Join(sh, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "*.csv"), n
}

// The sample data of examples/attribution, split into two shards by journey,
// gives every model the single-process result.
func TestAttributionSampleEqualsSingleProcess(t *testing.T) {
	requirePrism(t)
	whole, err := os.ReadFile("../../examples/attribution/journeys.csv")
	if err != nil {
		t.Fatal(err)
	}
	glob, n := shardSample(t, whole, 2)
	cfg := AttributionConfig{}
	got, rejects, counters := runAttribution(t, cfg, glob)
	if len(rejects) != 0 {
		t.Errorf("rejects: %q", rejects)
	}
	compareModels(t, cfg, reference(t, cfg, whole), got)
	// Every journey of the sample is read once: it has n+1 distinct ids.
	if c := counters[AttributionNamespace+"/"+CounterJourneys]; c != int64(n+1) {
		t.Errorf("read %d journey parts, want %d (counters %v)", c, n+1, counters)
	}
}

// The same journeys in 1, 2 or 3 shards give the same bytes: the models run
// on a canonical aggregate, whatever order the runner merged shards in.
func TestAttributionDeterministic(t *testing.T) {
	requirePrism(t)
	whole, err := os.ReadFile("../../examples/attribution/journeys.csv")
	if err != nil {
		t.Fatal(err)
	}
	var first []string
	for k := 1; k <= 3; k++ {
		glob, _ := shardSample(t, whole, k)
		dir := t.TempDir()
		p, s := beam.NewPipelineWithRoot()
		out := Attribution(s, AttributionConfig{}, ReadFiles(s, glob))
		path := write(s, dir, "results.jsonl", SortedText(s, beam.DropKey(s, out.Results)))
		run(t, p)
		lines := readLines(t, path)
		if k == 1 {
			first = lines
		} else if strings.Join(lines, "\n") != strings.Join(first, "\n") {
			t.Errorf("%d shards give other bytes than 1 shard", k)
		}
	}
}

// 100k generated journeys over 4 shards, one in ten split across two shards:
// every model equals the single-process result, with a lookback window and
// a second-order Markov chain.
func TestAttributionGeneratedShardsEqualSingleProcess(t *testing.T) {
	requirePrism(t)
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	js := generateJourneys(n, 20)
	dir := t.TempDir()
	if err := writeShards(dir, js, 4, 10); err != nil {
		t.Fatal(err)
	}
	cfg := AttributionConfig{HalfLife: 5 * 24 * time.Hour, Lookback: 60 * 24 * time.Hour, MarkovOrder: 2}
	got, rejects, counters := runAttribution(t, cfg, filepath.Join(dir, "touches-*.csv"))
	if len(rejects) != 0 {
		t.Errorf("%d rejects, first %q", len(rejects), rejects[0])
	}
	compareModels(t, cfg, reference(t, cfg, wholeCSV(js)), got)
	// Parts read: every journey once, plus once more for each split one
	// (journeys 0, 10, 20, … with at least two touches).
	want := int64(n)
	for i := 0; i < n; i += 10 {
		if len(js[i].rows) > 1 {
			want++
		}
	}
	if c := counters[AttributionNamespace+"/"+CounterJourneys]; c != want {
		t.Errorf("read %d journey parts, want %d", c, want)
	}
}

// Bad lines and journeys whose parts disagree are dead-lettered with their
// position; the good journeys are still aggregated.
func TestAttributionRejects(t *testing.T) {
	requirePrism(t)
	dir := t.TempDir()
	a := touchHeader + "\n" +
		"j1,2026-01-01T00:00:00Z,email,0,0,1,500,2026-01-05T00:00:00Z\n" +
		"j2,not-a-time,email,0,0,0,0,\n" + // line 3: bad timestamp
		"j3,2026-01-02T00:00:00Z,social,0,0,1,700,2026-01-06T00:00:00Z\n"
	b := touchHeader + "\n" +
		"j3,2026-01-03T00:00:00Z,email,0,0,1,900,2026-01-06T00:00:00Z\n" + // disagrees with a.csv's j3
		"j4,2026-01-03T00:00:00Z,direct,0,0,0,0,\n"
	c := "no,header,here\n"
	for name, src := range map[string]string{"a.csv": a, "b.csv": b, "c.csv": c} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := AttributionConfig{Models: []string{"linear"}}
	got, rejects, counters := runAttribution(t, cfg, filepath.Join(dir, "*.csv"))
	// c.csv's header has 3 unknown columns and lacks the 8 required ones:
	// 11 problems, plus the bad timestamp and the disagreeing parts.
	if len(rejects) != 13 {
		t.Fatalf("rejects = %q, want 13", rejects)
	}
	starts := map[string]int{}
	for _, r := range rejects {
		for _, p := range []string{filepath.Join(dir, "a.csv") + ":3:2: timestamp:", filepath.Join(dir, "b.csv") + ":2: journey \"j3\"", filepath.Join(dir, "c.csv") + ":1"} {
			if strings.HasPrefix(r, p) {
				starts[p]++
			}
		}
	}
	if len(starts) != 3 || starts[filepath.Join(dir, "c.csv")+":1"] != 11 {
		t.Errorf("rejects %q: want 1 at a.csv:3, 1 at b.csv:2, 11 at c.csv:1", rejects)
	}
	if r := counters[AttributionNamespace+"/"+CounterRejected]; r != int64(len(rejects)) {
		t.Errorf("rejected counter = %d, want %d", r, len(rejects))
	}
	// Linear on j1 (email, converted, 500) and j4 (direct, not converted):
	// email gets j1's one conversion and its 500 minor units; direct none.
	var mr struct {
		Result struct {
			Channels []struct {
				Channel     string  `json:"channel"`
				Conversions float64 `json:"conversions"`
			} `json:"channels"`
		} `json:"result"`
	}
	if err := json.Unmarshal(got["linear"], &mr); err != nil {
		t.Fatalf("%s: %v", got["linear"], err)
	}
	conv := map[string]float64{}
	for _, c := range mr.Result.Channels {
		conv[c.Channel] = c.Conversions
	}
	if conv["email"] != 1 || conv["direct"] != 0 {
		t.Errorf("linear credits %v, want email 1, direct 0 (%s)", conv, got["linear"])
	}
}

// Grouped runs order simultaneous touches as the single-process reader
// does: j1's display and email touches share a time and come in reverse
// name order in the file, so first touch credits display (the reader's
// order by channel name), not email (the file's order).
func TestAttributionGroupedTies(t *testing.T) {
	requirePrism(t)
	csv := "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n" +
		"j1,2026-01-01T00:00:00Z,email,0,0,1,500,2026-01-03T00:00:00Z\n" +
		"j1,2026-01-01T00:00:00Z,display,0,0,1,500,2026-01-03T00:00:00Z\n" +
		"j1,2026-01-02T00:00:00Z,webinar,0,0,1,500,2026-01-03T00:00:00Z\n" +
		"j2,2026-01-05T00:00:00Z,email,0,0,0,0,\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := AttributionConfig{Grouped: true, Models: []string{"first_touch", "last_touch", "linear", "time_decay"}}
	got, rejects, _ := runAttribution(t, cfg, filepath.Join(dir, "*.csv"))
	if len(rejects) != 0 {
		t.Errorf("rejects %q", rejects)
	}
	compareModels(t, cfg, reference(t, cfg, []byte(csv)), got)
	var ft ModelResult
	if err := json.Unmarshal(got["first_touch"], &ft); err != nil || ft.Result == nil {
		t.Fatalf("first_touch: %s %v", got["first_touch"], err)
	}
	if c, _ := ft.Result.Channel("display"); c.Value.Amount != 500 {
		t.Errorf("first touch credits display %+v, want all 500 (display sorts before email at the same instant)", c)
	}
}
