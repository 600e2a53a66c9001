package finite

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Check finds a NaN or ±Inf wherever it hides, and nothing in finite values.
func TestCheck(t *testing.T) {
	type inner struct{ V float64 }
	type outer struct {
		A []inner
		M map[string]*inner
	}
	if got := Check(outer{A: []inner{{1}, {math.NaN()}}}); got != "result.A[1].V = NaN" {
		t.Errorf("NaN in a slice: %q", got)
	}
	if got := Check(outer{M: map[string]*inner{"k": {math.Inf(-1)}}}); got != "result.M[k].V = -Inf" {
		t.Errorf("-Inf behind a map and a pointer: %q", got)
	}
	if got := Check(outer{A: []inner{{0}, {math.MaxFloat64}}}); got != "" {
		t.Errorf("finite values: %q", got)
	}
}

// Gen draws the same inputs for the same seed, and its extremes come from
// Floats and Ints.
func TestGen(t *testing.T) {
	a, b := &Gen{R: rand.New(rand.NewPCG(1, 2))}, &Gen{R: rand.New(rand.NewPCG(1, 2))}
	sawNaN := false
	for range 2000 {
		x, y := a.Float(), b.Float()
		if math.IsNaN(x) {
			sawNaN = true
			if !math.IsNaN(y) {
				t.Fatal("same seed, other draws")
			}
		} else if x != y {
			t.Fatal("same seed, other draws")
		}
		if a.Int() != b.Int() {
			t.Fatal("same seed, other ints")
		}
	}
	if !sawNaN {
		t.Error("2000 draws without the NaN extreme")
	}
}
