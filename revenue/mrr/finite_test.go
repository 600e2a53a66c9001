package mrr

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
	month := func() Month {
		return Month{StartingMRR: m(), New: m(), Expansion: m(), Contraction: m(), Churn: m(), Reactivation: m(), EndingMRR: m()}
	}
	events := func() []Event {
		var es []Event
		for range 1 + g.R.IntN(6) {
			es = append(es, Event{CustomerID: string(rune('a' + g.R.IntN(3))), Date: revenue.Date(2024, time.Month(1+g.R.IntN(4)), 1+g.R.IntN(28)), MRR: m()})
		}
		return es
	}
	calcs := map[string]func() (any, error){
		"NRR":               func() (any, error) { return NRR(month()) },
		"GRR":               func() (any, error) { return GRR(month()) },
		"Churn":             func() (any, error) { return Churn(month(), ChurnNetReactivation) },
		"ExpansionRate":     func() (any, error) { return ExpansionRate(month()) },
		"ExpansionGrowth":   func() (any, error) { return ExpansionGrowth(month(), month()) },
		"QuickRatio":        func() (any, error) { return QuickRatio(month(), QuickRatioWithReactivation) },
		"CustomerRetention": func() (any, error) { return CustomerRetention(i(), i(), i()) },
		"CustomerChurn":     func() (any, error) { return CustomerChurn(i(), i(), i(), CustomerChurnStartPlusNew) },
		"Bridge": func() (any, error) {
			b, err := NewBridge(context.Background(), events(), []Method{MethodEvent, MethodNet}[g.R.IntN(2)], "USD")
			if err != nil {
				return nil, err
			}
			var out []any
			for _, mo := range b.Months {
				n, _ := NRR(mo)
				g, _ := GRR(mo)
				out = append(out, n, g)
			}
			return out, nil
		},
		"Retention": func() (any, error) {
			return Retention(context.Background(), events(), revenue.Month(2024, time.Month(1+g.R.IntN(4))), "USD")
		},
		"Measure": func() (any, error) {
			s := Subscription{CustomerID: "c", Interval: []Interval{IntervalDay, IntervalWeek, IntervalMonth, IntervalYear}[g.R.IntN(4)],
				IntervalCount: g.R.IntN(3), Items: []Item{{UnitPrice: m(), Quantity: i()}, {UnitPrice: m(), Quantity: i()}},
				Discount: &Coupon{FractionOff: f(), Duration: CouponForever}}
			return Measure([]Subscription{s}, revenue.Month(2024, 3), "USD")
		},
	}
	finite.Run(t, g, 5000, calcs)
}
