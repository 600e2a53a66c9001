package mrr

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
	month := func() Month {
		return Month{StartingMRR: m(), New: m(), Expansion: m(), Contraction: m(), Churn: m(), Reactivation: m(), EndingMRR: m()}
	}
	events := func() []Event {
		var es []Event
		for range 1 + r.IntN(6) {
			es = append(es, Event{CustomerID: string(rune('a' + r.IntN(3))), Date: revenue.Date(2024, time.Month(1+r.IntN(4)), 1+r.IntN(28)), MRR: m()})
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
			b, err := NewBridge(context.Background(), events(), []Method{MethodEvent, MethodNet}[r.IntN(2)], "USD")
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
			return Retention(context.Background(), events(), revenue.Month(2024, time.Month(1+r.IntN(4))), "USD")
		},
		"Measure": func() (any, error) {
			s := Subscription{CustomerID: "c", Interval: []Interval{IntervalDay, IntervalWeek, IntervalMonth, IntervalYear}[r.IntN(4)],
				IntervalCount: r.IntN(3), Items: []Item{{UnitPrice: m(), Quantity: i()}, {UnitPrice: m(), Quantity: i()}},
				Discount: &Coupon{FractionOff: f(), Duration: CouponForever}}
			return Measure([]Subscription{s}, revenue.Month(2024, 3), "USD")
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
