package attribution

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/revengine/revengine/attribution/internal/synth"

	"github.com/revengine/revengine/money"
)

// TestBinomialDistribution compares the sampler's frequencies with the
// binomial probabilities C(n,k) p^k (1−p)^(n−k), by Pearson's χ² over
// the outcomes with an expected count of at least 5 (pooled tails), on
// both branches (inversion below np = 10, BTRS above) and the p > 1/2
// reflection. The bound is far in the tail of χ²: with ~40 degrees of
// freedom the 99.99% point is about 85.
func TestBinomialDistribution(t *testing.T) {
	for _, tt := range []struct {
		n int64
		p float64
	}{{20, 0.3}, {7, 0.05}, {100, 0.4}, {1000, 0.02}, {300, 0.9}, {5000, 0.5}} {
		rng := rand.New(rand.NewPCG(42, uint64(tt.n)))
		const draws = 200000
		freq := map[int64]float64{}
		for i := 0; i < draws; i++ {
			k := binomial(rng, tt.n, tt.p)
			if k < 0 || k > tt.n {
				t.Fatalf("n=%d p=%g: draw %d out of range", tt.n, tt.p, k)
			}
			freq[k]++
		}
		var chi2, poolE, poolO float64
		df := -1
		for k := int64(0); k <= tt.n; k++ {
			lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
			nf, kf := float64(tt.n), float64(k)
			pk := math.Exp(lg(nf+1) - lg(kf+1) - lg(nf-kf+1) + kf*math.Log(tt.p) + (nf-kf)*math.Log1p(-tt.p))
			e := pk * draws
			if e < 5 {
				poolE += e
				poolO += freq[k]
				continue
			}
			chi2 += (freq[k] - e) * (freq[k] - e) / e
			df++
		}
		if poolE > 0 {
			chi2 += (poolO - poolE) * (poolO - poolE) / poolE
			df++
		}
		if chi2 > float64(df)+6*math.Sqrt(2*float64(df))+20 {
			t.Errorf("n=%d p=%g: χ² = %.1f on %d degrees of freedom", tt.n, tt.p, chi2, df)
		}
	}
}

// TestResampleIsMultinomial: a replicate draws exactly N journeys, and
// each cell's mean count over many replicates is its count (the
// multinomial's mean N·count/N).
func TestResampleIsMultinomial(t *testing.T) {
	a := NewAggregate()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	usd := func(n int64) money.Money { return money.New(n, "USD") }
	must(a.AddPath([]string{"x"}, 30, 70, usd(3000)))
	must(a.AddPath([]string{"x", "y"}, 5, 5, usd(500)))
	must(a.AddPath(nil, 2, 88, usd(20)))
	rs := newResampler(a.view())
	rng := rand.New(rand.NewPCG(1, 2))
	const reps = 4000
	var sumX, sumXY, sumU float64
	for r := 0; r < reps; r++ {
		rep := rs.sample(rng)
		if rep.total.journeys != 200 {
			t.Fatalf("replicate has %d journeys, want 200", rep.total.journeys)
		}
		for _, p := range rep.paths {
			if len(p.key) == 2 {
				sumX += float64(p.conversions)
			} else {
				sumXY += float64(p.conversions)
			}
		}
		sumU += float64(rep.unattributed.journeys)
	}
	// Means 30, 5 and 90; the standard errors of the means are below
	// sqrt(90·(1−90/200)/4000) ≈ 0.11: allow 0.5.
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"x conversions", sumX / reps, 30}, {"x > y conversions", sumXY / reps, 5}, {"unattributed journeys", sumU / reps, 90}} {
		if math.Abs(c.got-c.want) > 0.5 {
			t.Errorf("%s: mean %.3f, want %g", c.name, c.got, c.want)
		}
	}
}

// TestReplicateMarkovTemplate: the Markov chain of a replicate built from
// its view's template gives the same credit as one built from scratch.
func TestReplicateMarkovTemplate(t *testing.T) {
	var b bytes.Buffer
	if err := synth.WriteTouches(&b, 3000, 4); err != nil {
		t.Fatal(err)
	}
	a, err := ReadTouches(context.Background(), &b, "synth.csv")
	if err != nil {
		t.Fatal(err)
	}
	rs := newResampler(a.view())
	for r := uint64(0); r < 5; r++ {
		rep := rs.sample(rand.New(rand.NewPCG(9, r)))
		for _, k := range []int{1, 2} {
			viaTemplate, err := markov{order: k}.run(context.Background(), rep)
			if err != nil {
				t.Fatal(err)
			}
			plain := &Aggregate{chans: rep.chans, chanID: rep.chanID, paths: rep.paths, total: rep.total,
				unattributed: rep.unattributed, currency: rep.currency, currencyOK: true, isView: true}
			fresh, err := markov{order: k}.run(context.Background(), plain)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range viaTemplate.Channels {
				f := fresh.Channels[i]
				if c.Channel != f.Channel || math.Abs(c.Conversions-f.Conversions) > 1e-9*math.Max(1, f.Conversions) ||
					math.Abs(c.ValueMinor-f.ValueMinor) > 1e-9*math.Max(1, f.ValueMinor) {
					t.Errorf("replicate %d order %d %s: template %g/%g, fresh %g/%g", r, k, c.Channel, c.Conversions, c.ValueMinor, f.Conversions, f.ValueMinor)
				}
			}
		}
	}
}

// TestResampleGroups: with many cells of one count (drawn as a group) a
// replicate still has N journeys and each cell's mean count is its count:
// 200 paths of 1 journey and 1 path of 300, means 1 and 300.
func TestResampleGroups(t *testing.T) {
	a := NewAggregate()
	for i := 0; i < 200; i++ {
		if err := a.AddPath([]string{"c" + strconv.Itoa(i%50), "d" + strconv.Itoa(i/50)}, 0, 1, money.New(0, "USD")); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.AddPath([]string{"big"}, 100, 200, money.New(1000, "USD")); err != nil {
		t.Fatal(err)
	}
	rs := newResampler(a.view())
	if len(rs.units) >= len(rs.cell) {
		t.Fatalf("%d units for %d cells: nothing grouped", len(rs.units), len(rs.cell))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const reps = 2000
	var small, big float64
	for r := 0; r < reps; r++ {
		rep := rs.sample(rng)
		if rep.total.journeys != 500 {
			t.Fatalf("replicate has %d journeys, want 500", rep.total.journeys)
		}
		for _, p := range rep.paths {
			if len(p.key) == 2 {
				big += float64(p.journeys)
			} else {
				small += float64(p.journeys)
			}
		}
	}
	// Means 200 (the small paths together) and 300; standard errors
	// sqrt(500·0.4·0.6/2000) ≈ 0.24: allow 1.
	if math.Abs(small/reps-200) > 1 || math.Abs(big/reps-300) > 1 {
		t.Errorf("means %.2f and %.2f, want 200 and 300", small/reps, big/reps)
	}
}
