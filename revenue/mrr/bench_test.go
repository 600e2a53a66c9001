package mrr

import (
	"github.com/revengine/revengine/revenue"

	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
)

// benchEvents generates n events over 5,000 customers and three years.
func benchEvents(n int) []Event {
	r := rand.New(rand.NewPCG(7, 7))
	evs := make([]Event, n)
	for i := range evs {
		v := int64(0)
		if r.IntN(5) > 0 {
			v = int64(1+r.IntN(50)) * 1000
		}
		evs[i] = Event{CustomerID: fmt.Sprintf("c%04d", r.IntN(5000)),
			Date: revenue.Date(2022, 1, 1).AddDate(0, 0, r.IntN(3*365)), MRR: money.New(v, "USD")}
	}
	return evs
}

func BenchmarkMRRBridge(b *testing.B) {
	evs := benchEvents(100_000)
	for _, m := range []Method{MethodEvent, MethodNet} {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				if _, err := NewBridge(context.Background(), evs, m, "USD"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadEvents(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("customer_id,date,mrr\n")
	for _, e := range benchEvents(100_000) {
		fmt.Fprintf(&sb, "%s,%s,%d\n", e.CustomerID, e.Date.Format(time.DateOnly), e.MRR.Amount)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadEvents(context.Background(), strings.NewReader(data), "b.csv"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNRR: NRR and GRR of every month of an event-level bridge of
// 100,000 events, classified net per customer from the movements.
func BenchmarkNRR(b *testing.B) {
	br, err := NewBridge(context.Background(), benchEvents(100_000), MethodEvent, "USD")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, m := range br.Months[1:] { // the first month starts at zero
			if _, err := NRR(m); err != nil {
				b.Fatal(err)
			}
			if _, err := GRR(m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkMeasure: MRR of 10,000 subscriptions of two items each, with
// coupons, over mixed intervals.
func BenchmarkMeasure(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	ivs := []Interval{IntervalMonth, IntervalQuarter, IntervalYear, IntervalWeek}
	subs := make([]Subscription, 10_000)
	for i := range subs {
		subs[i] = Subscription{CustomerID: fmt.Sprintf("c%05d", i), Interval: ivs[r.IntN(4)], Start: revenue.Date(2023, 1, 1),
			Items:    []Item{{UnitPrice: money.New(int64(1+r.IntN(500))*100, "USD"), Quantity: int64(1 + r.IntN(20))}, {UnitPrice: money.New(500, "USD"), Quantity: 1, Metered: true}},
			Discount: &Coupon{FractionOff: 0.1, Duration: CouponForever}}
	}
	for b.Loop() {
		if _, err := Measure(subs, revenue.Month(2024, time.March), "USD"); err != nil {
			b.Fatal(err)
		}
	}
}
