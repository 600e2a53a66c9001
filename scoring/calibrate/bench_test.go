package calibrate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"testing"
)

// benchRules has k binary rules r0…r(k-1) on fields f0…f(k-1).
func benchRules(k int) string {
	pts := make([]float64, k)
	for j := range pts {
		pts[j] = float64(5 + j%4*5)
	}
	return ruleRules(k, pts)
}

// leadGen streams n synthetic leads as JSON lines: rule j fires with
// probability 0.2, logit P(won) = −3 + Σ 0.1·(j mod 7)·x_j.
type leadGen struct {
	n, k, i int
	rng     *rand.Rand
	buf     bytes.Buffer
}

func newLeadGen(n, k int) *leadGen { return &leadGen{n: n, k: k, rng: rand.New(rand.NewPCG(1, 2))} }

func (g *leadGen) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && g.i < g.n {
		g.i++
		eta := -3.0
		g.buf.WriteByte('{')
		for j := 0; j < g.k; j++ {
			x := g.rng.Float64() < 0.2
			if x {
				eta += 0.1 * float64(j%7)
			}
			fmt.Fprintf(&g.buf, `"f%d":%v,`, j, x)
		}
		fmt.Fprintf(&g.buf, `"outcome":%v}`+"\n", g.rng.Float64() < 1/(1+math.Exp(-eta)))
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	return g.buf.Read(p)
}

func benchRun(b *testing.B, n, k int) {
	rs := mustParse(b, benchRules(k))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Run(context.Background(), rs, newLeadGen(n, k), "bench.jsonl", at)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Counts.Outcomes != n {
			b.Fatalf("counts %+v", rep.Counts)
		}
	}
	b.ReportMetric(float64(n), "leads/op")
}

// BenchmarkRun10k: 10,000 leads × 30 rules.
func BenchmarkRun10k(b *testing.B) { benchRun(b, 10_000, 30) }

// BenchmarkRun1M: the 1,000,000 leads × 30 rules; run with
// -bench Run1M -benchtime 1x.
func BenchmarkRun1M(b *testing.B) { benchRun(b, 1_000_000, 30) }

// BenchmarkReport1M isolates the statistics (AUC, bands, groups,
// thresholds, regression) from scoring: 1M leads × 30 rules, fed straight
// to the accumulator.
func BenchmarkReport1M(b *testing.B) {
	const n, k = 1_000_000, 30
	rs := mustParse(b, benchRules(k))
	cfg := config{field: "outcome", width: 10, groups: 10, objective: F1(), lambda: 1, confidence: 0.95, minOutcomes: 10, workers: 1, maxBytes: 1 << 20}
	if err := cfg.check(rs); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	leads := make([]scored, n)
	for i := range leads {
		var fired []firing
		eta, score := -3.0, 0.0
		for j := 0; j < k; j++ {
			if rng.Float64() < 0.2 {
				fired = append(fired, firing{rule: fmt.Sprintf("r%d", j), model: "fit", points: 5})
				eta += 0.1 * float64(j%7)
				score += 5
			}
		}
		leads[i] = scored{line: i + 1, out: outcome{known: true, won: rng.Float64() < 1/(1+math.Exp(-eta))}, scores: []float64{score}, stage: "lead", fired: fired}
	}
	b.ReportAllocs()
	for b.Loop() {
		a := newAccumulator(rs, &cfg)
		for i := range leads {
			a.add(&leads[i])
		}
		if _, err := a.report(context.Background(), at); err != nil {
			b.Fatal(err)
		}
	}
}
