package engine

import (
	"bytes"
	"context"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/record"
)

var (
	_ encoding.BinaryMarshaler   = (*Builder)(nil)
	_ encoding.BinaryUnmarshaler = (*Builder)(nil)
)

// shardKeys is the column each file is sharded by: a lead's, deal's or
// customer's rows stay together (Merge's contract); spend rows go round
// robin.
var shardKeys = map[string]string{
	"stage_changes.csv": "lead_id", "deals.csv": "id", "touches.csv": "deal_id", "subscriptions.csv": "customer_id", "spend.csv": "",
}

// splitDir writes the CSV files of dir into n shard directories, each file
// with its header, rows in their order, and returns the shards' Files.
func splitDir(t *testing.T, dir string, n int) []Files {
	t.Helper()
	out := t.TempDir()
	shards := make([]string, n)
	for i := range shards {
		shards[i] = filepath.Join(out, fmt.Sprintf("shard-%d", i))
		if err := os.Mkdir(shards[i], 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, key := range shardKeys {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
		col := slices.Index(strings.Split(lines[0], ","), key)
		if key != "" && col < 0 {
			t.Fatalf("%s has no column %s", name, key)
		}
		parts := make([][]string, n)
		for i := range parts {
			parts[i] = []string{lines[0]}
		}
		for i, l := range lines[1:] {
			s := i % n
			if col >= 0 {
				h := fnv.New32a()
				h.Write([]byte(strings.Split(l, ",")[col]))
				s = int(h.Sum32() % uint32(n))
			}
			parts[s] = append(parts[s], l)
		}
		for i, p := range parts {
			if err := os.WriteFile(filepath.Join(shards[i], name), []byte(strings.Join(p, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files := make([]Files, n)
	for i, d := range shards {
		f, err := DirFiles(d)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = f
	}
	return files
}

// writeMergeData writes a generated data set: leads with several changes
// (SLA deadlines, owners, routes), deals with touches whose sales cycles
// are not whole days (so the cycle sum must be exact), spend and
// subscriptions.
func writeMergeData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ts := func(min int) string { return t0.Add(time.Duration(min) * time.Minute).Format(time.RFC3339) }
	var sc, dl, tc, sub, sp strings.Builder
	sc.WriteString("lead_id,from,to,at,owner,route,channel,deadline\n")
	for i := range 600 {
		m := (i * 7919) % (300 * 24 * 60)
		own, route, ch := []string{"ana", "ben", "chloe"}[i%3], []string{"emea", "us"}[i%2], []string{"webinar", "paid_search", "content"}[i%3]
		fmt.Fprintf(&sc, "L%d,,lead,%s,,,%s,\n", i, ts(m), ch)
		fmt.Fprintf(&sc, "L%d,lead,mql,%s,%s,%s,,%s\n", i, ts(m+60*24+i%97), own, route, ts(m+60*48))
		if i%3 != 0 {
			fmt.Fprintf(&sc, "L%d,mql,sal,%s,%s,,,\n", i, ts(m+60*24+i%97+60*(i%70)), own)
		}
		if i%5 == 0 {
			fmt.Fprintf(&sc, "L%d,sal,disqualified,%s,%s,,,\n", i, ts(m+60*24*9), own)
		}
	}
	dl.WriteString("id,created,closed,status,amount\n")
	tc.WriteString("deal_id,at,channel,campaign,kind,lead_created,opp_created\n")
	sub.WriteString("customer_id,date,mrr\n")
	chans := []string{"paid_search", "webinar", "content", "email", "outbound"}
	for i := range 300 {
		m := (i*104729)%(250*24*60) + 60*24*40
		status, closed := []string{"won", "lost", "open"}[i%3], ""
		if status != "open" {
			closed = ts(m + 60*24*20 + i*37) // cycles of 20 days and some minutes
		}
		fmt.Fprintf(&dl, "D%d,%s,%s,%s,%d\n", i, ts(m), closed, status, 100_000+(i%17)*9_999)
		for k := range 1 + i%4 {
			ch := chans[(i*3+k)%5]
			kind := "marketing"
			if ch == "outbound" {
				kind = "sales"
			}
			fmt.Fprintf(&tc, "D%d,%s,%s,%s-%d,%s,%t,%t\n", i, ts(m-60*24*10+k*60*30), ch, ch, k%2, kind, k == 0, k == 1)
		}
		if status == "won" {
			fmt.Fprintf(&sub, "C%d,%s,%d\n", i, closed[:10], 10_000+(i%20)*1_000)
			if i%2 == 0 {
				fmt.Fprintf(&sub, "C%d,2025-12-01,%d\n", i, 5_000+(i%7)*1_000)
			}
		}
	}
	sp.WriteString("period,channel,campaign,category,amount\n")
	for m := 1; m <= 12; m++ {
		for _, ch := range chans {
			cat := "marketing"
			if ch == "outbound" {
				cat = "sales"
			}
			fmt.Fprintf(&sp, "2025-%02d,%s,%s-%d,%s,%d\n", m, ch, ch, m%2, cat, 1_000_000+m*1_111)
		}
	}
	for name, s := range map[string]string{"stage_changes.csv": sc.String(), "deals.csv": dl.String(), "touches.csv": tc.String(), "subscriptions.csv": sub.String(), "spend.csv": sp.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// allFields makes cmp compare unexported fields too: the view is plain data.
var allFields = cmp.Exporter(func(reflect.Type) bool { return true })

func readBuilder(t *testing.T, cfg Config, f Files) *Builder {
	t.Helper()
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Read(context.Background(), f, 0); err != nil {
		t.Fatal(err)
	}
	return b
}

func view(t *testing.T, b *Builder) *View {
	t.Helper()
	v, err := b.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMergeEqualsOneBuilder: the records of the engine's sample and of a
// generated data set, split over N builders (by lead, deal and customer)
// and merged in several orders, directly or through the binary encoding,
// give the View of one builder that read them all.
func TestMergeEqualsOneBuilder(t *testing.T) {
	sample := filepath.Join("..", "examples", "kpis", "data")
	gen := writeMergeData(t)
	cfgs := map[string]Config{
		"quarter linear":   {Currency: "USD", Period: ByQuarter},
		"month w_shaped":   {Currency: "USD", Period: ByMonth, Model: attribution.WShaped(), SLA: map[string]time.Duration{"sal": 72 * time.Hour}},
		"quarter time_dec": {Currency: "USD", Period: ByQuarter, Model: attribution.TimeDecay()},
	}
	for _, data := range []struct{ name, dir string }{{"sample", sample}, {"generated", gen}} {
		whole, err := DirFiles(data.dir)
		if err != nil {
			t.Fatal(err)
		}
		for cname, cfg := range cfgs {
			wb := readBuilder(t, cfg, whole)
			want := view(t, wb)
			// Every data row is added (the data has no bad rows): count
			// them in the files, touches riding with their deals.
			rows := func(name string) int64 {
				b, err := os.ReadFile(filepath.Join(data.dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return int64(bytes.Count(b, []byte("\n")) - 1)
			}
			if got, w := wb.Added(), (Added{rows("stage_changes.csv"), rows("deals.csv"), rows("spend.csv"), rows("subscriptions.csv")}); got != w {
				t.Fatalf("%s: added %+v, the files have %+v rows", data.name, got, w)
			}
			wantJSON, _ := json.Marshal(want)
			for _, n := range []int{1, 2, 3, 5} {
				shards := splitDir(t, data.dir, n)
				if n > 1 && cmp.Equal(want, view(t, readBuilder(t, cfg, shards[0])), allFields) {
					t.Fatalf("%s: one shard of %d has the whole view: the split proves nothing", data.name, n)
				}
				orders := map[string]func() *Builder{
					"in order": func() *Builder {
						acc, _ := New(cfg)
						for _, f := range shards {
							if err := acc.Merge(readBuilder(t, cfg, f)); err != nil {
								t.Fatal(err)
							}
						}
						return acc
					},
					"reversed": func() *Builder {
						acc := readBuilder(t, cfg, shards[n-1])
						for i := n - 2; i >= 0; i-- {
							if err := acc.Merge(readBuilder(t, cfg, shards[i])); err != nil {
								t.Fatal(err)
							}
						}
						return acc
					},
					"through bytes": func() *Builder {
						acc, _ := New(cfg)
						for _, f := range shards {
							enc, err := readBuilder(t, cfg, f).MarshalBinary()
							if err != nil {
								t.Fatal(err)
							}
							d, _ := New(cfg)
							if err := d.UnmarshalBinary(enc); err != nil {
								t.Fatal(err)
							}
							if err := acc.Merge(d); err != nil {
								t.Fatal(err)
							}
						}
						enc, err := acc.MarshalBinary()
						if err != nil {
							t.Fatal(err)
						}
						out, _ := New(cfg)
						if err := out.UnmarshalBinary(enc); err != nil {
							t.Fatal(err)
						}
						return out
					},
				}
				for oname, build := range orders {
					acc := build()
					if acc.Added() != wb.Added() {
						t.Errorf("%s, %d shards %s: added %+v, want %+v", data.name, n, oname, acc.Added(), wb.Added())
					}
					got := view(t, acc)
					if d := cmp.Diff(want, got, allFields); d != "" {
						t.Errorf("%s, %s, %d shards %s: view differs (-one builder +merged):\n%s", data.name, cname, n, oname, d)
						continue
					}
					if gotJSON, _ := json.Marshal(got); !bytes.Equal(gotJSON, wantJSON) {
						t.Errorf("%s, %s, %d shards %s: JSON differs", data.name, cname, n, oname)
					}
				}
			}
		}
	}
}

// TestSalesCycleExact: the mean sales cycle is the exact mean of the won
// deals' cycles, whatever the order: 1 day + 1 ns, 2 days and 3 days − 1 ns
// average to exactly 2 days (a sum of float days would round).
func TestSalesCycleExact(t *testing.T) {
	day := 24 * time.Hour
	var c cycleSum
	for _, d := range []time.Duration{day + 1, 2 * day, 3*day - 1} {
		if err := c.add(d); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.mean(3); got != 2*day {
		t.Errorf("mean = %v, want 48h", got)
	}
	if c.ns >= 1e9 || c.ns < 0 {
		t.Errorf("nanoseconds %d not in [0, 1e9)", c.ns)
	}
	big := cycleSum{sec: 1<<63 - 1}
	if err := big.add(time.Second); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflowing cycle sum: %v, want ErrOverflow", err)
	}
}

// TestMergeErrors: other configurations, a deal in both builders, a
// survey on both, merging into itself; each error leaves the builder's view
// as it was.
func TestMergeErrors(t *testing.T) {
	at := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	deal := record.Deal{ID: "D1", Created: at, Status: record.DealOpen, Amount: usd(100)}
	mk := func(cfg Config, deals ...record.Deal) *Builder {
		b, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range deals {
			if err := b.AddDeal(d); err != nil {
				t.Fatal(err)
			}
		}
		return b
	}
	usdCfg := Config{Currency: "USD"}
	tests := []struct {
		name string
		o    *Builder
		want error
	}{
		{"other currency", mk(Config{Currency: "EUR"}), ErrIncompatible},
		{"other period", mk(Config{Currency: "USD", Period: ByQuarter}), ErrIncompatible},
		{"other model", mk(Config{Currency: "USD", Model: attribution.FirstTouch()}), ErrIncompatible},
		{"other SLA", mk(Config{Currency: "USD", SLA: map[string]time.Duration{"mql": time.Hour}}), ErrIncompatible},
		{"deal in both", mk(usdCfg, deal), ErrInvalidInput},
	}
	for _, tc := range tests {
		b := mk(usdCfg, deal)
		before, _ := b.MarshalBinary()
		err := b.Merge(tc.o)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if after, _ := b.MarshalBinary(); !bytes.Equal(before, after) {
			t.Errorf("%s: a failed Merge changed the builder", tc.name)
		}
	}
	b := mk(usdCfg)
	if err := b.Merge(b); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("merge with itself: %v", err)
	}
	if err := b.Merge(nil); err != nil {
		t.Errorf("merge nil: %v", err)
	}
}

// TestBuilderUnmarshalHostile: bad bytes return ErrEncoding, never panic,
// allocate little, and leave the builder unchanged.
func TestBuilderUnmarshalHostile(t *testing.T) {
	cfg := Config{Currency: "USD", Period: ByQuarter}
	src := readBuilder(t, cfg, mustDir(t, filepath.Join("..", "examples", "kpis", "data")))
	valid, err := src.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	eur, _ := New(Config{Currency: "EUR", Period: ByQuarter})
	eurEnc, _ := eur.MarshalBinary()
	tests := map[string][]byte{
		"empty":         nil,
		"other magic":   append([]byte("RVAG\x01"), valid[5:]...),
		"version 9":     append([]byte("RVEN\x09"), valid[5:]...),
		"trailing":      append(bytes.Clone(valid), 0),
		"other config":  eurEnc,
		"huge names":    append(append([]byte("RVEN\x01"), valid[5:5+1+int(valid[5])]...), binary.AppendUvarint(nil, 1<<40)...),
		"last byte cut": valid[:len(valid)-1],
	}
	for n := 1; n < len(valid); n += max(1, len(valid)/150) {
		tests[fmt.Sprintf("truncated at %d", n)] = valid[:n]
	}
	for name, data := range tests {
		b := readBuilder(t, cfg, mustDir(t, filepath.Join("..", "examples", "kpis", "data")))
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		err := b.UnmarshalBinary(data)
		runtime.ReadMemStats(&ms1)
		if !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: %v, want ErrEncoding", name, err)
		}
		if a := ms1.TotalAlloc - ms0.TotalAlloc; a > 4<<20 {
			t.Errorf("%s: %d bytes allocated for %d bytes of input", name, a, len(data))
		}
		if after, _ := b.MarshalBinary(); !bytes.Equal(after, valid) {
			t.Errorf("%s: a failed UnmarshalBinary changed the builder", name)
		}
	}
}

func mustDir(t *testing.T, dir string) Files {
	t.Helper()
	f, err := DirFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// FuzzBuilderUnmarshalBinary: any bytes fail with ErrEncoding or decode to
// a builder whose encoding is stable and whose view builds without a
// panic.
func FuzzBuilderUnmarshalBinary(f *testing.F) {
	cfg := Config{Currency: "USD", Period: ByQuarter}
	b, _ := New(cfg)
	if err := b.Read(context.Background(), Files{StageChanges: filepath.Join("..", "examples", "kpis", "data", "stage_changes.csv"),
		Deals: filepath.Join("..", "examples", "kpis", "data", "deals.csv"), Touches: filepath.Join("..", "examples", "kpis", "data", "touches.csv")}, 0); err != nil {
		f.Fatal(err)
	}
	enc, _ := b.MarshalBinary()
	f.Add(enc)
	empty, _ := New(cfg)
	enc, _ = empty.MarshalBinary()
	f.Add(enc)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, _ := New(cfg)
		if err := d.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrEncoding) {
				t.Fatalf("%v does not match ErrEncoding", err)
			}
			return
		}
		enc, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		d2, _ := New(cfg)
		if err := d2.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		if enc2, _ := d2.MarshalBinary(); !bytes.Equal(enc, enc2) {
			t.Fatal("re-encoding is not stable")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if v, err := d.View(ctx); err == nil {
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("view does not encode (NaN or Inf?): %v", err)
			}
		}
	})
}
