package goal

import (
	"context"
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
	g := &finite.Gen{}
	f, i := g.Float, g.Int
	m := func() money.Money { return money.New(i(), "USD") }
	day := func() time.Time { return revenue.Date(2023+g.R.IntN(3), time.Month(1+g.R.IntN(12)), 1+g.R.IntN(28)) }
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
	finite.Run(t, g, 5000, calcs)
}
