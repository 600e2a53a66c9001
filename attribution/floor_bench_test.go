package attribution_test

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
)

// bareCSVRead is the floor of issue 21: a bare encoding/csv read of the
// file, reusing the record, touching every field, nothing parsed.
func bareCSVRead(b *testing.B, file string) {
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n += len(rec)
	}
	if n == 0 {
		b.Fatal("empty file")
	}
}

// BenchmarkReadTouchesVsCSV times ReadTouches of the 1M-journey file
// (each row order mode) against a bare encoding/csv read of the same file,
// interleaved in every iteration so that both see the same machine load,
// and reports the ratio of the medians (ratio; issue 21's target ≤ 1.5),
// and the median CPU time of each. Run it with -cpu 2 or more: with
// GOMAXPROCS 1 the file is read by one goroutine.
func BenchmarkReadTouchesVsCSV(b *testing.B) {
	file, _ := bigData(b)
	for _, mode := range []struct {
		name  string
		order attribution.RowOrder
	}{{"grouped", attribution.Grouped}, {"any_order", attribution.AnyOrder}} {
		b.Run(mode.name, func(b *testing.B) {
			var floor, read, floorCPU, readCPU []float64
			for b.Loop() {
				c0 := cpuTime()
				t0 := time.Now()
				bareCSVRead(b, file)
				t1 := time.Now()
				c1 := cpuTime()
				f, err := os.Open(file)
				if err != nil {
					b.Fatal(err)
				}
				a, err := attribution.ReadTouches(context.Background(), f, "touches.csv", attribution.WithRowOrder(mode.order))
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				if a.Totals().Journeys != bigJourneys {
					b.Fatalf("journeys = %d", a.Totals().Journeys)
				}
				floor = append(floor, float64(t1.Sub(t0)))
				read = append(read, float64(time.Since(t1)))
				floorCPU = append(floorCPU, float64(c1-c0))
				readCPU = append(readCPU, float64(cpuTime()-c1))
			}
			b.ReportMetric(median(read)/median(floor), "ratio")
			b.ReportMetric(median(floor)/1e6, "csv-ms")
			b.ReportMetric(median(read)/1e6, "read-ms")
			// CPU time (user + system, all goroutines): the work, which a
			// loaded machine does not inflate as it does the wall clock.
			b.ReportMetric(median(floorCPU)/1e6, "csv-cpu-ms")
			b.ReportMetric(median(readCPU)/1e6, "read-cpu-ms")
		})
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
