package revenue

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
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
			Date: Date(2022, 1, 1).AddDate(0, 0, r.IntN(3*365)), MRR: New(v, "USD")}
	}
	return evs
}

func BenchmarkMRRBridge(b *testing.B) {
	evs := benchEvents(100_000)
	for _, m := range []Method{MethodEvent, MethodNet} {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				if _, err := MRRBridge(context.Background(), evs, m, "USD"); err != nil {
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
		if _, err := ReadEvents(context.Background(), strings.NewReader(data), "b.csv", "USD"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConversions(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	stages := Waterfall()
	leads := make([]Lead, 100_000)
	for i := range leads {
		d := Date(2024, 1, 1).AddDate(0, 0, r.IntN(90))
		l := Lead{ID: fmt.Sprint(i), Channel: fmt.Sprintf("ch%d", r.IntN(8))}
		for k := 0; k < len(stages) && (k == 0 || r.IntN(2) == 0); k++ {
			l.History = append(l.History, StageChange{stages[k], d})
			d = d.AddDate(0, 0, r.IntN(10))
		}
		leads[i] = l
	}
	q, _ := Quarter(2024, 1)
	for b.Loop() {
		if _, err := Conversions(context.Background(), leads, q, FunnelCohort, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHoltWinters(b *testing.B) {
	y := make([]float64, 10_000)
	for i := range y {
		y[i] = 100 + float64(i)*0.5 + 10*float64(i%12)
	}
	for b.Loop() {
		if _, err := HoltWinters(context.Background(), y, 12, 0.3, 0.1, 0.2, 12); err != nil {
			b.Fatal(err)
		}
	}
}
