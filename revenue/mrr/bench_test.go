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
