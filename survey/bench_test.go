package survey

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// benchCSV generates n response rows over 12 waves and 8 teams,
// deterministically.
func benchCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	teams := []string{"SDR", "AE", "CSM", "RevOps", "SE", "Marketing", "Partners", "Ops"}
	blockers := []string{"CRM hygiene", "Lead quality", "Approvals", "Nothing", ""}
	x := uint32(2463534242)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	for i := 0; i < n; i++ {
		comment := ""
		if next()%5 == 0 {
			comment = "\"Too many tools, not enough selling time.\""
		}
		fmt.Fprintf(&b, "p%d,2026-%02d,%s,London,1-3y,%d,%d,%d,%s,%s\n",
			i/12, i%12+1, teams[(i/12)%len(teams)], next()%11, next()%5+1, next()%5+1,
			blockers[next()%5], comment)
	}
	return b.Bytes()
}

// BenchmarkReadCSV keeps the name it had before ReadCSV became
// ReadResponses, so that runs before and after compare.
func BenchmarkReadCSV(b *testing.B) {
	s := mustLoadFile(b, "testdata/pulse.yaml")
	data := benchCSV(10000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		batch, err := s.ReadResponses(context.Background(), bytes.NewReader(data), "bench.csv")
		if err != nil || batch.Accepted() != 10000 {
			b.Fatal(err, batch.Err())
		}
	}
}

func BenchmarkReadResponsesSeq(b *testing.B) {
	s := mustLoadFile(b, "testdata/pulse.yaml")
	data := benchCSV(10000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for _, err := range s.ReadResponsesSeq(context.Background(), bytes.NewReader(data), "bench.csv") {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatal(n)
		}
	}
}

func BenchmarkReport(b *testing.B) {
	s := mustLoadFile(b, "testdata/pulse.yaml")
	batch, err := s.ReadResponses(context.Background(), bytes.NewReader(benchCSV(10000)), "bench.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Report(context.Background(), batch, WithBreakdown("team")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNPS(b *testing.B) {
	answers := make([]int, 100000)
	for i := range answers {
		answers[i] = (i * 7) % 11
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Standard.NPS(answers)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Interval(0.95, AdjustedWald); err != nil {
			b.Fatal(err)
		}
	}
}
