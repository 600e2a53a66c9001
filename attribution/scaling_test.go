package attribution_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
)

// writeFixedPaths writes n grouped journeys drawn from a fixed set of 997
// paths over 8 channels (1 to 6 touches), a tenth of them converting, so
// that the path aggregate is the same at any n and what grows, if
// anything, is the reader's own memory.
func writeFixedPaths(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n")
	chans := []string{"search", "email", "social", "display", "direct", "webinar", "referral", "events"}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var line []byte
	for j := range n {
		p := j % 997
		k := 1 + p%6
		conv := p%10 == 0
		end := base.Add(time.Duration(k) * time.Hour)
		for i := range k {
			line = append(line[:0], 'j')
			line = strconv.AppendInt(line, int64(j), 10)
			line = append(line, ',')
			line = base.Add(time.Duration(i)*time.Hour).AppendFormat(line, time.RFC3339)
			line = append(line, ',')
			line = append(line, chans[(p/(i+1)+i)%len(chans)]...)
			line = append(line, ",0,0,"...)
			if conv {
				line = append(line, "1,100,"...)
				line = end.AppendFormat(line, time.RFC3339)
			} else {
				line = append(line, "0,0,"...)
			}
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// peakGroupedHeap reads n generated journeys in Grouped mode, streamed
// through a pipe (the input is never held), sampling every 2 ms, and
// returns the peak live heap (what the last GC found reachable, the
// memory a journey count could make grow), the peak of all heap objects
// (live and garbage not yet collected: what the process holds, ~2× the
// live heap under GOGC=100, with the GC's timing as noise), and the
// aggregate's path count.
func peakGroupedHeap(t *testing.T, n int) (live, objects uint64, paths int) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeFixedPaths(pw, n)) }()
	return peakHeap(t, pr, n, true)
}

// peakGroupedFileHeap is peakGroupedHeap for a file, which ReadTouches
// reads in two parts at once (the file is written first, outside the
// measurement).
func peakGroupedFileHeap(t *testing.T, n int) (live, objects uint64, paths int) {
	f, err := os.Create(filepath.Join(t.TempDir(), "fixed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := writeFixedPaths(f, n); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	return peakHeap(t, f, n, true)
}

// peakHeap reads r, n journeys, sampling the heap; with gc it also
// collects every 50 ms, so that the live heap is measured during a read
// too short for the collector's own cycles to see its peak.
func peakHeap(t *testing.T, r io.Reader, n int, gc bool) (live, objects uint64, paths int) {
	runtime.GC()
	pr := r
	var peak, peakLive atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		k := 0
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			if v := s[1].Value.Uint64(); v > peakLive.Load() {
				peakLive.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
				if k++; gc && k%25 == 0 {
					runtime.GC()
				}
			}
		}
	}()
	agg, err := attribution.ReadTouches(context.Background(), pr, "fixed.csv", attribution.WithRowOrder(attribution.Grouped))
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if got := agg.Totals().Journeys; got != int64(n) {
		t.Fatalf("journeys %d, want %d", got, n)
	}
	return peakLive.Load(), peak.Load(), len(agg.Paths())
}

// TestGroupedMemoryScaling is issue 21's scaling check: the peak live heap
// of a Grouped read of 4M journeys is within 1.2× of 1M journeys when the
// paths are the same (before the bounded regroup window it grew ~85 bytes
// per journey, +255 MiB). The peak of all heap objects is logged; it
// follows the live heap but the GC's timing moves it by a few MiB, so the
// bound is checked on it only at 1.5×. Skipped under -short (15M rows).
func TestGroupedMemoryScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 5M journeys")
	}
	if raceEnabled {
		// The memory figure is the same under the race detector; the
		// 5M journeys take two minutes there. `go test ./attribution`
		// (no -race) runs it.
		t.Skip("SKIP under -race: the scaling test runs without the race detector")
	}
	l1, o1, paths1 := peakGroupedHeap(t, 1_000_000)
	l4, o4, paths4 := peakGroupedHeap(t, 4_000_000)
	mib := func(v uint64) float64 { return float64(v) / (1 << 20) }
	t.Logf("peak live heap: 1M journeys %.1f MiB, 4M %.1f MiB (ratio %.3f); peak heap objects %.1f, %.1f MiB (ratio %.3f); paths %d, %d",
		mib(l1), mib(l4), float64(l4)/float64(l1), mib(o1), mib(o4), float64(o4)/float64(o1), paths1, paths4)
	if paths1 != paths4 {
		t.Fatalf("the path sets differ: %d, %d", paths1, paths4)
	}
	if float64(l4) > 1.2*float64(l1) {
		t.Errorf("peak live heap at 4M journeys %.1f MiB > 1.2 × %.1f MiB at 1M", mib(l4), mib(l1))
	}
	if float64(o4) > 1.5*float64(o1) {
		t.Errorf("peak heap at 4M journeys %.1f MiB > 1.5 × %.1f MiB at 1M", mib(o4), mib(o1))
	}
}

// TestGroupedSplitMemoryScaling is TestGroupedMemoryScaling for a file,
// read in two parts at once: each part holds its own regroup window and
// aggregate, and neither grows with the journeys.
func TestGroupedSplitMemoryScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 5M journeys")
	}
	if raceEnabled {
		t.Skip("SKIP under -race: the scaling test runs without the race detector")
	}
	l1, o1, paths1 := peakGroupedFileHeap(t, 1_000_000)
	l4, o4, paths4 := peakGroupedFileHeap(t, 4_000_000)
	mib := func(v uint64) float64 { return float64(v) / (1 << 20) }
	t.Logf("split read, peak live heap: 1M journeys %.1f MiB, 4M %.1f MiB (ratio %.3f); peak heap objects %.1f, %.1f MiB (ratio %.3f)",
		mib(l1), mib(l4), float64(l4)/float64(l1), mib(o1), mib(o4), float64(o4)/float64(o1))
	if paths1 != paths4 {
		t.Fatalf("the path sets differ: %d, %d", paths1, paths4)
	}
	if float64(l4) > 1.2*float64(l1) {
		t.Errorf("peak live heap at 4M journeys %.1f MiB > 1.2 × %.1f MiB at 1M", mib(l4), mib(l1))
	}
	if float64(o4) > 1.5*float64(o1) {
		t.Errorf("peak heap at 4M journeys %.1f MiB > 1.5 × %.1f MiB at 1M", mib(o4), mib(o1))
	}
}
