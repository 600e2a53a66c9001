package money

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestNoNonFiniteAndExactSums: over extreme amounts and factors, no
// operation panics, Ratio never returns NaN or ±Inf, and Sum is exact: it
// equals the big-integer sum whenever that fits in int64, and is
// ErrOverflow otherwise (Sum(MaxInt64, 1, −1) = MaxInt64).
func TestNoNonFiniteAndExactSums(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 4))
	ints := []int64{0, 1, -1, 2, 100, math.MaxInt64, math.MaxInt64 - 1, math.MinInt64, math.MinInt64 + 1, 1 << 62, -(1 << 62)}
	floats := []float64{0, 5e-324, 0.1, 0.5, 1, 2, 1e300, math.MaxFloat64, -1, math.NaN(), math.Inf(1), math.Inf(-1)}
	i := func() int64 {
		if r.IntN(3) == 0 {
			return r.Int64()
		}
		return ints[r.IntN(len(ints))]
	}
	for k := 0; k < 20000; k++ {
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("panic: %v", e)
				}
			}()
			a, b := New(i(), "USD"), New(i(), "USD")
			if q, err := Ratio(a, b); err == nil && (math.IsNaN(q) || math.IsInf(q, 0)) {
				t.Fatalf("Ratio(%v, %v) = %v", a, b, q)
			}
			f := floats[r.IntN(len(floats))]
			_, _ = a.Mul(f, HalfEven)
			_, _ = a.MulFrac(i(), i(), HalfUp)
			_, _ = a.Div(i(), Down)
			_, _ = a.Allocate(f, 1)
			xs := []Money{a, b, New(i(), "USD")}
			var exact float64 // as a check of the sign of overflow only
			want := new(bigInt).set(0)
			for _, x := range xs {
				want.add(x.Amount)
				exact += float64(x.Amount)
			}
			got, err := Sum("USD", xs...)
			if v, ok := want.int64(); ok {
				if err != nil || got.Amount != v {
					t.Fatalf("Sum(%v) = %v, %v; want %d", xs, got, err, v)
				}
			} else if err == nil {
				t.Fatalf("Sum(%v) = %v, want ErrOverflow (≈ %g)", xs, got, exact)
			}
		}()
	}
}

// bigInt is a test-side exact integer, independent of Sum's own 128-bit
// accumulator.
type bigInt struct{ v []int64 }

func (b *bigInt) set(int64) *bigInt { b.v = nil; return b }
func (b *bigInt) add(x int64)       { b.v = append(b.v, x) }
func (b *bigInt) int64() (int64, bool) {
	// exact via math/big
	s := bigSum(b.v)
	if !s.IsInt64() {
		return 0, false
	}
	return s.Int64(), true
}

func bigSum(xs []int64) *big.Int {
	s := new(big.Int)
	for _, x := range xs {
		s.Add(s, big.NewInt(x))
	}
	return s
}
