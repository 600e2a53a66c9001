package revbeam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"

	"github.com/revengine/revengine/engine"
)

const kpiSample = "../../examples/kpis/data"

// kpiShardKeys is the column each file is sharded by, so that a lead's, a
// deal's (with its touches) and a customer's rows stay in one shard; spend
// rows go round robin.
var kpiShardKeys = map[string]string{
	"stage_changes.csv": "lead_id", "deals.csv": "id", "touches.csv": "deal_id", "subscriptions.csv": "customer_id", "spend.csv": "",
}

// splitKPIDir writes the CSV files of dir into n shard directories under
// out (shard-0 …), rows in their order, each file with its header; edit, if
// set, may change a shard's rows. It returns the shard glob.
func splitKPIDir(t *testing.T, dir string, n int, edit func(shard int, name string, rows []string) []string) string {
	t.Helper()
	out := t.TempDir()
	for name, key := range kpiShardKeys {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
		col := slices.Index(strings.Split(lines[0], ","), key)
		parts := make([][]string, n)
		for i, l := range lines[1:] {
			s := i % n
			if col >= 0 {
				h := fnv.New32a()
				h.Write([]byte(strings.Split(l, ",")[col]))
				s = int(h.Sum32() % uint32(n))
			}
			parts[s] = append(parts[s], l)
		}
		for i, rows := range parts {
			if edit != nil {
				rows = edit(i, name, rows)
			}
			d := filepath.Join(out, fmt.Sprintf("shard-%d", i))
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			body := strings.Join(append([]string{lines[0]}, rows...), "\n") + "\n"
			if err := os.WriteFile(filepath.Join(d, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(out, "shard-*")
}

// runKPIs runs the KPIs pipeline and returns the view file's bytes, the
// rejects and the counters.
func runKPIs(t *testing.T, cfg KPIConfig, glob string) ([]byte, []string, map[string]int64) {
	t.Helper()
	dir := t.TempDir()
	p, s := beam.NewPipelineWithRoot()
	dirs, err := ShardDirs(s, glob)
	if err != nil {
		t.Fatal(err)
	}
	out := KPIs(s, cfg, dirs)
	viewPath := filepath.Join(dir, "view.json")
	textio.Write(s, viewPath, out.View)
	rejPath := write(s, dir, "rejects.txt", SortedText(s, out.Rejects))
	counters := run(t, p)
	view, err := os.ReadFile(viewPath)
	if err != nil {
		t.Fatal(err)
	}
	return view, readLines(t, rejPath), counters
}

// singleKPIs is the single-process view of dir, as `revengine kpis --json`
// prints it (the engine's JSON, indented by two spaces).
func singleKPIs(t *testing.T, cfg KPIConfig, dir string) []byte {
	t.Helper()
	ec, err := cfg.Engine()
	if err != nil {
		t.Fatal(err)
	}
	b, err := engine.New(ec)
	if err != nil {
		t.Fatal(err)
	}
	f, err := engine.DirFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Read(context.Background(), f, 0); err != nil {
		t.Fatal(err)
	}
	v, err := b.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The engine's sample split over 1 and 3 shard directories gives the bytes
// of `revengine kpis --json` on the whole sample (the CLI run with go run
// in the root), and of the engine in this process.
func TestKPIsEqualSingleProcess(t *testing.T) {
	requirePrism(t)
	cfg := KPIConfig{Period: "quarter", Model: "w_shaped"}
	want := singleKPIs(t, cfg, kpiSample)
	cmd := exec.Command("go", "run", "./cmd/revengine", "kpis", "--json", "--period", "quarter", "--model", "w_shaped", "examples/kpis/data")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cli, err := cmd.Output()
	if err != nil {
		t.Fatalf("revengine kpis: %v: %s", err, stderr.String())
	}
	if !bytes.Equal(cli, want) {
		t.Fatalf("the CLI and the engine disagree:\n%s\n%s", cli, want)
	}
	for _, n := range []int{1, 3} {
		glob := splitKPIDir(t, kpiSample, n, nil)
		got, rejects, counters := runKPIs(t, cfg, glob)
		if len(rejects) != 0 {
			t.Errorf("%d shards: rejects %q", n, rejects)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d shards: the pipeline's view differs from revengine kpis --json:\n%s\nwant\n%s", n, got, want)
		}
		if c := counters[KPIsNamespace+"/"+CounterShards]; c != int64(n) {
			t.Errorf("%d shards: %d read", n, c)
		}
		// 23 stage changes, 6 deals, 4 spend rows and 10 subscription
		// events: the data rows of the sample's files, touches excepted.
		if c := counters[KPIsNamespace+"/"+CounterAdded]; c != rowsOf(t, kpiSample) {
			t.Errorf("%d shards: %d records added, the sample has %d", n, c, rowsOf(t, kpiSample))
		}
	}
}

// rowsOf counts the data rows of dir's files, touches excepted (they are
// added with their deal).
func rowsOf(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	for name := range kpiShardKeys {
		if name == "touches.csv" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		n += int64(bytes.Count(b, []byte("\n")) - 1)
	}
	return n
}

// Bad rows are dead-lettered with file and line, the good ones make the
// view, and the counters add up: added + rejected = the rows read.
func TestKPIsRejects(t *testing.T) {
	requirePrism(t)
	bad := map[string]string{
		"stage_changes.csv": "LX,,nowhere,2026-01-05T09:00:00Z,,,,",
		"spend.csv":         "2026-01,webinar,q1-webinar,marketing,-5",
		"subscriptions.csv": "CX,2026-01-01,12.5",
	}
	glob := splitKPIDir(t, kpiSample, 2, func(shard int, name string, rows []string) []string {
		if l, ok := bad[name]; ok && shard == 1 {
			return append(rows, l)
		}
		return rows
	})
	_, rejects, counters := runKPIs(t, KPIConfig{Period: "quarter"}, glob)
	if len(rejects) != len(bad) {
		t.Fatalf("rejects %q, want one per bad row (%d)", rejects, len(bad))
	}
	for _, r := range rejects {
		name := ""
		for n := range bad {
			if strings.Contains(r, filepath.Join("shard-1", n)+":") {
				name = n
			}
		}
		if name == "" {
			t.Errorf("reject %q does not name its shard file and line", r)
		}
	}
	added, rejected := counters[KPIsNamespace+"/"+CounterAdded], counters[KPIsNamespace+"/"+CounterKPIRejected]
	if read := rowsOf(t, kpiSample) + int64(len(bad)); added+rejected != read {
		t.Errorf("added %d + rejected %d != %d rows read", added, rejected, read)
	}
}

// A KPIBuilder crosses the wire unchanged; bad bytes are ErrWireFormat.
func TestKPIBuilderWire(t *testing.T) {
	cfg := KPIConfig{Period: "quarter", Model: "w_shaped"}
	k, err := newKPIBuilder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, err := engine.DirFiles(kpiSample)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.b.Read(context.Background(), f, 0); err != nil {
		t.Fatal(err)
	}
	enc, err := k.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeKPIBuilder(enc)
	if err != nil {
		t.Fatal(err)
	}
	enc2, _ := d.MarshalBinary()
	if !bytes.Equal(enc, enc2) {
		t.Fatal("re-encoding changed the bytes")
	}
	v1, _ := k.b.View(context.Background())
	v2, _ := d.b.View(context.Background())
	j1, _ := json.Marshal(v1)
	j2, _ := json.Marshal(v2)
	if !bytes.Equal(j1, j2) {
		t.Error("decoded builder's view differs")
	}
	for name, b := range map[string][]byte{
		"empty": nil, "magic": []byte("RVKB\x02"), "truncated": enc[:len(enc)-1], "trailing": append(bytes.Clone(enc), 1),
		"config": append([]byte("RVKB\x01\x02{]"), enc[7:]...),
	} {
		if _, err := decodeKPIBuilder(b); !errors.Is(err, ErrWireFormat) {
			t.Errorf("%s: %v, want ErrWireFormat", name, err)
		}
	}
	if _, err := (KPIConfig{Period: "week"}).Engine(); err == nil {
		t.Error("period week accepted")
	}
}

// FuzzKPIBuilderDecode: no input panics the decoder; what it accepts
// re-encodes to bytes it accepts again.
func FuzzKPIBuilderDecode(f *testing.F) {
	k, _ := newKPIBuilder(KPIConfig{})
	b, _ := k.MarshalBinary()
	f.Add(b)
	f.Add([]byte("RVKB\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := decodeKPIBuilder(data)
		if err != nil {
			return
		}
		enc, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeKPIBuilder(enc); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
	})
}
