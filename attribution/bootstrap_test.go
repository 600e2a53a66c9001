package attribution_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/revengine/revengine/attribution"
)

// genPath is one path of a known generating model: a journey follows it
// with probability p and then converts with probability q.
type genPath struct {
	path string
	p, q float64
}

var generating = []genPath{
	{"a", 0.30, 0.10},
	{"b", 0.20, 0.05},
	{"a > b", 0.15, 0.20},
	{"b > c", 0.15, 0.15},
	{"c", 0.10, 0.02},
	{"c > a > b", 0.10, 0.30},
}

func splitPath(s string) []string { return strings.Split(s, " > ") }

// population is the generating model itself as an aggregate: 10^9
// journeys in exact proportion. A model's credit shares on it are the
// true shares the estimates of a sample converge to.
func population(t *testing.T) *attribution.Aggregate {
	a := attribution.NewAggregate()
	for _, g := range generating {
		j := int64(math.Round(g.p * 1e9))
		c := int64(math.Round(g.p * g.q * 1e9))
		if err := a.AddPath(splitPath(g.path), c, j-c, usd(100*c)); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// sample draws n journeys from the generating model.
func sample(t *testing.T, n int, seed uint64) *attribution.Aggregate {
	rng := rand.New(rand.NewPCG(seed, 99))
	conv := make([]int64, len(generating))
	null := make([]int64, len(generating))
	for i := 0; i < n; i++ {
		x := rng.Float64()
		k := 0
		for k < len(generating)-1 && x >= generating[k].p {
			x -= generating[k].p
			k++
		}
		if rng.Float64() < generating[k].q {
			conv[k]++
		} else {
			null[k]++
		}
	}
	a := attribution.NewAggregate()
	for k, g := range generating {
		if err := a.AddPath(splitPath(g.path), conv[k], null[k], usd(100*conv[k])); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// TestBootstrapCoverage: over many samples from a known generating model,
// the 90% bootstrap interval of each channel's share covers the true share
// (the model's share on the population) about 90% of the time. With 200
// samples the coverage of one channel has a standard error of
// sqrt(0.9·0.1/200) ≈ 0.021; each is required within [0.83, 0.97]
// (over 3 standard errors) and each model's mean over its channels within
// [0.86, 0.94].
func TestBootstrapCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("coverage simulation")
	}
	ctx := context.Background()
	models := []attribution.Model{attribution.LastTouch(), attribution.Linear(), attribution.Shapley(), attribution.Markov(1)}
	pop := population(t)
	truth := make([][]float64, len(models))
	for i, m := range models {
		r, err := attribution.Run(ctx, pop, m)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Channels {
			truth[i] = append(truth[i], c.Share)
		}
	}
	const samples = 200
	covered := make([][]int, len(models))
	for i := range covered {
		covered[i] = make([]int, 3)
	}
	for s := uint64(0); s < samples; s++ {
		res, err := attribution.Bootstrap(ctx, sample(t, 3000, s), attribution.BootstrapConfig{Replicates: 200, Level: 0.9, Seed: s}, models...)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			for ci, c := range r.Channels {
				if c.CI.Share[0] <= truth[i][ci] && truth[i][ci] <= c.CI.Share[1] {
					covered[i][ci]++
				}
			}
		}
	}
	for i, m := range models {
		var mean float64
		for ci, n := range covered[i] {
			cov := float64(n) / samples
			mean += cov / 3
			if cov < 0.83 || cov > 0.97 {
				t.Errorf("%s channel %d: coverage %.3f of the 90%% interval (true share %.4f)", m.Name(), ci, cov, truth[i][ci])
			}
		}
		if mean < 0.86 || mean > 0.94 {
			t.Errorf("%s: mean coverage %.3f of the 90%% interval", m.Name(), mean)
		}
		t.Logf("%s: coverage %v of %d", m.Name(), covered[i], samples)
	}
}

// TestBootstrapDeterministic: the same seed gives the same intervals with
// any number of workers; another seed gives others.
func TestBootstrapDeterministic(t *testing.T) {
	ctx := context.Background()
	a := synthAgg(t, 2000, 5)
	run := func(workers int, seed uint64) []*attribution.Result {
		res, err := attribution.Bootstrap(ctx, a, attribution.BootstrapConfig{Replicates: 50, Seed: seed, Workers: workers},
			attribution.Linear(), attribution.TimeDecay(), attribution.Markov(2), attribution.ShapleyLocalRate())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	one, four := run(1, 7), run(4, 7)
	if !reflect.DeepEqual(one, four) {
		t.Error("1 and 4 workers give different intervals")
	}
	if reflect.DeepEqual(one, run(2, 8)) {
		t.Error("seeds 7 and 8 give the same intervals")
	}
	for _, r := range one {
		point, err := attribution.Run(ctx, a, modelNamed(t, r.Model))
		if err != nil {
			t.Fatal(err)
		}
		if r.Bootstrap == nil || r.Bootstrap.Replicates != 50 || r.Bootstrap.Level != 0.95 || r.Bootstrap.Method != "percentile" {
			t.Errorf("%s: bootstrap info %+v", r.Model, r.Bootstrap)
		}
		for i, c := range r.Channels {
			if c.Conversions != point.Channels[i].Conversions {
				t.Errorf("%s %s: point estimate %g, Run gives %g", r.Model, c.Channel, c.Conversions, point.Channels[i].Conversions)
			}
			for _, iv := range [][2]float64{c.CI.Conversions, c.CI.ValueMinor, c.CI.Share} {
				if !(iv[0] <= iv[1]) || math.IsNaN(iv[0]) || math.IsInf(iv[1], 0) {
					t.Errorf("%s %s: interval %v", r.Model, c.Channel, iv)
				}
			}
		}
	}
}

func modelNamed(t *testing.T, name string) attribution.Model {
	m, err := attribution.ModelByName(name, attribution.WithOrder(2))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBootstrapErrors(t *testing.T) {
	ctx := context.Background()
	a := synthAgg(t, 100, 5)
	for _, cfg := range []attribution.BootstrapConfig{{Replicates: 1}, {Replicates: attribution.MaxReplicates + 1}, {Level: 1}, {Level: -0.5}, {Level: math.NaN()}} {
		if _, err := attribution.Bootstrap(ctx, a, cfg, attribution.Linear()); !errors.Is(err, attribution.ErrBootstrap) {
			t.Errorf("%+v: %v, want ErrBootstrap", cfg, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := attribution.Bootstrap(cctx, a, attribution.BootstrapConfig{}, attribution.Linear()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestBootstrapPooled: with a pooling privacy threshold a replicate may
// lack the (pooled) channel (no rare path drawn, or a rare one drawn often
// enough to pass the threshold); its intervals are still per channel name.
// By hand, the point estimate: b (1 journey) is below 2 and pooled, so
// (pooled) has b's 1 conversion and a has its 1.
func TestBootstrapPooled(t *testing.T) {
	a := pathsAgg(t, "a,1,100,1", "b,1,100,0")
	res, err := attribution.Bootstrap(context.Background(), a, attribution.BootstrapConfig{Replicates: 200, Seed: 3},
		attribution.Shapley(attribution.WithPrivacyThreshold(2, attribution.PoolRare)))
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if len(r.Channels) != 3 || r.Channels[0].Channel != "(pooled)" || r.Channels[0].Conversions != 1 || r.Channels[1].Conversions != 1 {
		t.Fatalf("channels %+v", r.Channels)
	}
	for _, c := range r.Channels {
		if c.CI == nil || !(c.CI.Conversions[0] <= c.CI.Conversions[1]) || c.CI.Conversions[0] < 0 || c.CI.Conversions[1] > 3 {
			t.Errorf("%s: interval %+v", c.Channel, c.CI)
		}
	}
}
