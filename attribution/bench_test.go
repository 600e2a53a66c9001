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

// The shuffled 1M-journey file: the same rows in a seeded random order.
var (
	shufOnce sync.Once
	shufFile string
	shufErr  error
)

func shuffledData(b *testing.B) string {
	file, _ := bigData(b)
	shufOnce.Do(func() {
		data, err := os.ReadFile(file)
		if err != nil {
			shufErr = err
			return
		}
		shufFile = filepath.Join(bigDir, "shuffled.csv")
		shufErr = os.WriteFile(shufFile, shuffleRows(data, 1), 0o600)
	})
	if shufErr != nil {
		b.Fatal(shufErr)
	}
	return shufFile
}

func benchRead(b *testing.B, file string, opts ...attribution.Option) {
	st, _ := os.Stat(file)
	b.SetBytes(st.Size())
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		a, err := attribution.ReadTouches(context.Background(), f, "touches.csv", opts...)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if a.Totals().Journeys != bigJourneys {
			b.Fatalf("journeys = %d", a.Totals().Journeys)
		}
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
	b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-sys-MB")
}

// BenchmarkReadSortedGrouped1M: the grouped file, strict streaming mode.
func BenchmarkReadSortedGrouped1M(b *testing.B) {
	file, _ := bigData(b)
	benchRead(b, file, attribution.WithRowOrder(attribution.Grouped))
}

// BenchmarkReadUnsorted1M: the shuffled file, sorted in memory (the
// default budget holds it).
func BenchmarkReadUnsorted1M(b *testing.B) { benchRead(b, shuffledData(b)) }

// BenchmarkReadUnsortedSpill1M: the shuffled file with a 32 MiB sort
// budget, so the rows go through about 8 temporary runs.
func BenchmarkReadUnsortedSpill1M(b *testing.B) {
	benchRead(b, shuffledData(b), attribution.WithSortMemory(32<<20), attribution.WithTempDir(bigDir))
}

func benchBootstrap(b *testing.B, reps int, models ...attribution.Model) {
	_, agg := bigData(b)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := attribution.Bootstrap(context.Background(), agg, attribution.BootstrapConfig{Replicates: reps, Seed: 1, Workers: 1}, models...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}

// Bootstrap on the 1M-journey aggregate, one worker (one core).
func BenchmarkBootstrap1000Linear(b *testing.B) { benchBootstrap(b, 1000, attribution.Linear()) }
func BenchmarkBootstrap1000Markov(b *testing.B) { benchBootstrap(b, 1000, attribution.Markov(1)) }
func BenchmarkBootstrap20Linear(b *testing.B)   { benchBootstrap(b, 20, attribution.Linear()) }
func BenchmarkBootstrap20Markov(b *testing.B)   { benchBootstrap(b, 20, attribution.Markov(1)) }
func BenchmarkBootstrap20All(b *testing.B) {
	var ms []attribution.Model
	for _, n := range attribution.Models() {
		m, _ := attribution.ModelByName(n)
		ms = append(ms, m)
	}
	benchBootstrap(b, 20, ms...)
}
