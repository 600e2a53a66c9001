package goal

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/finite"
)

// TestNoNonFinite: over random and extreme inputs no calculator of the
// package panics, returns NaN or ±Inf, or doubles a package prefix in an
// error.
func TestNoNonFinite(t *testing.T) {
	var r *rand.Rand
	f := func() float64 {
		if r.IntN(3) == 0 {
			return r.Float64()
		}
		return finite.Floats[r.IntN(len(finite.Floats))]
	}
	i := func() int64 {
		if r.IntN(3) == 0 {
			return r.Int64N(1_000_000)
		}
		return finite.Ints[r.IntN(len(finite.Ints))]
	}
	m := func() money.Money { return money.New(i(), "USD") }
	day := func() time.Time { return revenue.Date(2023+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28)) }
	q1, _ := revenue.Quarter(2024, 1)
	calcs := map[string]func() (any, error){
		"NewFunnel": func() (any, error) {
			return NewFunnel(Target{q1, m()}, m(), []Stage{{"lead", f()}, {"sql", f()}}, WithMarketingShare(f()))
		},
		"FunnelPace": func() (any, error) {
			fu, err := NewFunnel(Target{q1, m()}, m(), []Stage{{"lead", f()}, {"sql", f()}})
			if err != nil {
				return nil, err
			}
			return fu.Pace(day(), map[string]float64{"lead": f(), "won": f()})
		},
		"TargetPace": func() (any, error) {
			return Target{q1, m()}.Pace(context.Background(), []Actual{{Date: day(), Amount: m()}, {Date: day(), Amount: m()}}, day(),
				WithPipeline(f(), m()))
		},
		"PlanPace": func() (any, error) {
			p, err := Target{q1, m()}.Split(SplitByWeights(f(), f(), f()), q1.Months())
			if err != nil {
				return nil, err
			}
			return p.Pace(context.Background(), []Actual{{Date: day(), Amount: m()}}, day())
		},
	}
	for k, name := range slices.Sorted(maps.Keys(calcs)) {
		calc := calcs[name]
		t.Run(name, func(t *testing.T) {
			r = rand.New(rand.NewPCG(15, uint64(k)))
			for range 5000 {
				func() {
					defer func() {
						if e := recover(); e != nil {
							t.Fatalf("panic: %v", e)
						}
					}()
					v, err := calc()
					if err != nil {
						if d := finite.Doubled(err.Error()); d != "" {
							t.Fatalf("doubled prefix %q: %v", d, err)
						}
						return
					}
					if path := finite.Check(v); path != "" {
						t.Fatalf("%s", path)
					}
				}()
			}
		})
	}
}
