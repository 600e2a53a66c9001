package engine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
)

// writeBenchFiles writes the benchmark's input: 1M stage changes (250k
// leads × 4), 100k deals with 3M touches (30 each, grouped by deal), 12
// months of spend over 8 channels and 2 campaigns each, and the won deals'
// subscriptions.
func writeBenchFiles(tb testing.TB, dir string) Files {
	tb.Helper()
	open := func(name string) (*os.File, *bufio.Writer) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		return f, bufio.NewWriterSize(f, 1<<20)
	}
	done := func(f *os.File, w *bufio.Writer) {
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		f.Close()
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ts := func(h int) string { return t0.Add(time.Duration(h) * time.Hour).Format(time.RFC3339) }
	owners := []string{"ana", "ben", "chloe", "dev", "erin"}
	routes := []string{"emea", "enterprise", "fallback"}
	f, w := open("stage_changes.csv")
	fmt.Fprintln(w, "lead_id,from,to,at,owner,route,deadline")
	for i := range 250_000 {
		h := (i * 7919) % (360 * 24)
		fmt.Fprintf(w, "L%d,,lead,%s,,,\n", i, ts(h))
		fmt.Fprintf(w, "L%d,lead,mql,%s,%s,%s,%s\n", i, ts(h+24), owners[i%5], routes[i%3], ts(h+48))
		fmt.Fprintf(w, "L%d,mql,sal,%s,%s,,\n", i, ts(h+24+i%50), owners[i%5])
		fmt.Fprintf(w, "L%d,sal,sql,%s,%s,,\n", i, ts(h+100+i%90), owners[i%5])
	}
	done(f, w)
	channels := []string{"paid_search", "webinar", "content", "email", "social", "events", "outbound", "partner"}
	fd, wd := open("deals.csv")
	ft, wt := open("touches.csv")
	fs, ws := open("subscriptions.csv")
	fmt.Fprintln(wd, "id,created,closed,status,amount")
	fmt.Fprintln(wt, "deal_id,at,channel,campaign,kind")
	fmt.Fprintln(ws, "customer_id,date,mrr")
	for i := range 100_000 {
		h := (i * 104729) % (300 * 24)
		status, closed := []string{"won", "lost", "open"}[i%3], ""
		if status != "open" {
			closed = t0.Add(time.Duration(h+24*40) * time.Hour).Format(time.DateOnly)
		}
		fmt.Fprintf(wd, "D%d,%s,%s,%s,%d\n", i, t0.Add(time.Duration(h)*time.Hour).Format(time.DateOnly), closed, status, 100_000+(i%50)*10_000)
		for k := range benchTouches {
			ch := channels[(i*31+k*7)%8]
			kind := "marketing"
			if ch == "outbound" {
				kind = "sales"
			}
			fmt.Fprintf(wt, "D%d,%s,%s,%s-%d,%s\n", i, ts(h-24*30+k*20), ch, ch, k%2, kind)
		}
		if status == "won" {
			fmt.Fprintf(ws, "C%d,%s,%d\n", i, closed, 10_000+(i%20)*1_000)
		}
	}
	done(fd, wd)
	done(ft, wt)
	done(fs, ws)
	f, w = open("spend.csv")
	fmt.Fprintln(w, "period,channel,campaign,category,amount")
	for m := 1; m <= 12; m++ {
		for _, ch := range channels {
			cat := "marketing"
			if ch == "outbound" {
				cat = "sales"
			}
			for c := range 2 {
				fmt.Fprintf(w, "2025-%02d,%s,%s-%d,%s,%d\n", m, ch, ch, c, cat, 5_000_000)
			}
		}
	}
	done(f, w)
	files, err := DirFiles(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// benchTouches is the touches per deal; REVENGINE_BENCH_TOUCHES changes it
// to check that memory does not grow with the number of touches.
var benchTouches = func() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("REVENGINE_BENCH_TOUCHES"), &n); err == nil && n > 0 {
		return n
	}
	return 30
}()

// BenchmarkKPIs reads the files and builds the monthly view with linear
// attribution; peak-heap-MB is the largest HeapInuse seen by a sampler.
func BenchmarkKPIs(b *testing.B) {
	if testing.Short() {
		b.Skip("large input")
	}
	files := writeBenchFiles(b, b.TempDir())
	b.ResetTimer()
	for b.Loop() {
		runtime.GC()
		stop := make(chan struct{})
		peak := make(chan uint64)
		go func() {
			var m runtime.MemStats
			var hi uint64
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				runtime.ReadMemStats(&m)
				hi = max(hi, m.HeapInuse)
				select {
				case <-stop:
					peak <- hi
					return
				case <-tick.C:
				}
			}
		}()
		bl, err := New(Config{Currency: "USD", Model: attribution.Linear()})
		if err != nil {
			b.Fatal(err)
		}
		if err := bl.Read(context.Background(), files, 0); err != nil {
			b.Fatal(err)
		}
		if _, err := bl.View(context.Background()); err != nil {
			b.Fatal(err)
		}
		close(stop)
		b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
	}
}

// TestWriteBenchFiles writes the benchmark's files into
// $REVENGINE_BENCH_DIR, to time "revengine kpis" on them from the shell
// (/usr/bin/time -v revengine kpis --json DIR); skipped otherwise.
func TestWriteBenchFiles(t *testing.T) {
	dir := os.Getenv("REVENGINE_BENCH_DIR")
	if dir == "" {
		t.Skip("REVENGINE_BENCH_DIR not set")
	}
	writeBenchFiles(t, dir)
}
