package revenue

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

func BenchmarkConversions(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	stages := Waterfall()
	leads := make([]Prospect, 100_000)
	for i := range leads {
		d := Date(2024, 1, 1).AddDate(0, 0, r.IntN(90))
		l := Prospect{ID: fmt.Sprint(i), Channel: fmt.Sprintf("ch%d", r.IntN(8))}
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
