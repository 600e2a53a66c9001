package plan

import (
	"context"
	"testing"
)

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
