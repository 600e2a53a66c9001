package plan

import (
	"context"
	"testing"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/finite"
)

// TestNoNonFinite: over random and extreme inputs no calculator of the
// package panics or returns NaN or ±Inf; it returns an error instead.
func TestNoNonFinite(t *testing.T) {
	g := &finite.Gen{}
	f := func() float64 {
		if g.R.IntN(3) == 0 {
			return g.R.Float64()*2 - 0.5 // rates a little outside [0, 1] too
		}
		return finite.Floats[g.R.IntN(len(finite.Floats))]
	}
	i := g.Int
	m := func() money.Money { return money.New(i(), "USD") }
	fs := func() []float64 {
		out := make([]float64, g.R.IntN(12))
		for k := range out {
			out[k] = f()
		}
		return out
	}
	calcs := map[string]func() (any, error){
		"Compare": func() (any, error) {
			b := Baseline{Price: m(), Volume: f(), UnitCost: m(), MarketingCost: m()}
			return b.Compare(Scenario{PriceChange: f(), VolumeChange: f(), UnitCostChange: f(), MarketingCostChange: f(), ExtraMarketing: m()})
		},
		"BreakEven": func() (any, error) {
			b := Baseline{Price: m(), Volume: f(), UnitCost: m(), MarketingCost: m()}
			return b.BreakEven(f())
		},
		"BreakEvenVolumeChange": func() (any, error) { return BreakEvenVolumeChange(f(), f()) },
		"CMGR":                  func() (any, error) { return CMGR(m(), m(), int(i()%1000), WithProjection(g.R.IntN(30))) },
		"FunnelRevenue":         func() (any, error) { return FunnelRevenue(f(), f(), f(), m()) },
		"LinearTrend":           func() (any, error) { return LinearTrend(fs(), int(i()%50)) },
		"HoltWinters": func() (any, error) {
			return HoltWinters(context.Background(), fs(), 1+g.R.IntN(4), f(), f(), f(), int(i()%50))
		},
		"Profit": func() (any, error) {
			return Profit(ProfitInput{RevenueGoal: m(), RevenuePerCustomer: m(), VisitToLead: f(), LeadToCustomer: f(),
				CostPerLead: m(), GrossMargin: f(), FixedCosts: m()}, WithCountRounding(money.Up))
		},
		"ForecastFunnel": func() (any, error) { return ForecastFunnel("v", f(), Step{"l", f()}, Step{"c", f()}) },
		"ReverseFunnel":  func() (any, error) { return ReverseFunnel("v", f(), []Step{{"l", f()}, {"c", f()}}) },
		"Diversify": func() (any, error) {
			return Diversify([]SourceRevenue{{Source: "a", Amount: m()}, {Source: "b", Amount: m(), Recurring: true}})
		},
		"Promotion": func() (any, error) {
			p := Promotion{Name: "p", Start: revenue.Date(2024, 1, 1), Discount: f(), Months: 1 + g.R.IntN(3)}
			return p.MRR(m(), i(), i(), 3)
		},
	}
	finite.Run(t, g, 5000, calcs)
}
