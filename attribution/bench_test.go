package attribution_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/attribution/internal/synth"
)

// The 1M-journey data is generated once per test binary into a temporary
// file, only when a benchmark asks for it (plain go test never does).
var (
	bigOnce sync.Once
	bigDir  string
	bigFile string
	bigErr  error
	bigAgg  *attribution.Aggregate
)

const bigJourneys = 1_000_000

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

func bigData(b *testing.B) (string, *attribution.Aggregate) {
	b.Helper()
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "attribution-bench")
		if bigErr != nil {
			return
		}
		bigFile = filepath.Join(bigDir, "touches.csv")
		if keep := os.Getenv("ATTRIBUTION_BENCH_CSV"); keep != "" {
			bigFile = keep // to time the CLI on the same data
		}
		var buf bytes.Buffer
		buf.Grow(200 << 20)
		// Seed 1 draws 12 channels, the top of the 8-12 range and the most paths.
		if bigErr = synth.WriteTouches(&buf, bigJourneys, 1); bigErr != nil {
			return
		}
		if bigErr = os.WriteFile(bigFile, buf.Bytes(), 0o600); bigErr != nil {
			return
		}
		bigAgg, bigErr = attribution.ReadTouches(context.Background(), bytes.NewReader(buf.Bytes()), "touches.csv")
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigFile, bigAgg
}

// BenchmarkReadTouches1M reads the touch CSV of 1M journeys (~3M touches)
// from a file and builds the aggregate.
func BenchmarkReadTouches1M(b *testing.B) {
	file, agg := bigData(b)
	st, _ := os.Stat(file)
	b.SetBytes(st.Size())
	runtime.GC()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		a, err := attribution.ReadTouches(context.Background(), f, "touches.csv")
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if a.Totals().Journeys != bigJourneys {
			b.Fatalf("journeys = %d", a.Totals().Journeys)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-inuse-MB")
	b.ReportMetric(float64(len(agg.Paths())), "paths")
}

func benchModel(b *testing.B, models ...attribution.Model) {
	_, agg := bigData(b)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		for _, m := range models {
			if _, err := attribution.Run(context.Background(), agg, m); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}

func BenchmarkMarkovOrder1(b *testing.B) { benchModel(b, attribution.Markov(1)) }
func BenchmarkMarkovOrder2(b *testing.B) { benchModel(b, attribution.Markov(2)) }
func BenchmarkMarkovOrder3(b *testing.B) { benchModel(b, attribution.Markov(3)) }

// BenchmarkHeuristics runs every heuristic model on the 1M-journey aggregate.
func BenchmarkHeuristics(b *testing.B) {
	benchModel(b, attribution.FirstTouch(), attribution.LastTouch(), attribution.LastNonDirect(),
		attribution.Linear(), attribution.UShaped(), attribution.JShaped(), attribution.InverseJ(),
		attribution.TimeDecay(), attribution.WShaped(), attribution.FullPath(), attribution.Participation())
}

func BenchmarkShapley(b *testing.B)          { benchModel(b, attribution.Shapley()) }
func BenchmarkShapleyLocalRate(b *testing.B) { benchModel(b, attribution.ShapleyLocalRate()) }
