package survey

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// nonFinite returns the name of the first NaN or ±Inf float field of a
// struct (one level deep, pointers followed), or "".
func nonFinite(v any) string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	for i := 0; i < rv.NumField(); i++ {
		f := reflect.Indirect(rv.Field(i))
		if f.Kind() == reflect.Float64 {
			if x := f.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				return rv.Type().Field(i).Name
			}
		}
	}
	return ""
}

// TestNoNonFinite: over random and extreme counts, levels, margins,
// variances and shares, no statistic panics or returns NaN or ±Inf; it
// returns an error instead.
func TestNoNonFinite(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 3))
	counts := []int{0, 1, 2, 3, 100, 1 << 30, math.MaxInt32, math.MaxInt64 / 4, math.MaxInt64, -1, math.MinInt64}
	floats := []float64{0, 5e-324, 1e-300, 1e-9, 0.05, 0.5, 0.95, 0.999999999999, 1, 2, 5, 200, 201, 1e300,
		math.MaxFloat64, -1, math.NaN(), math.Inf(1), math.Inf(-1)}
	c := func() int {
		if r.IntN(3) == 0 {
			return r.IntN(1000)
		}
		return counts[r.IntN(len(counts))]
	}
	f := func() float64 {
		if r.IntN(3) == 0 {
			return r.Float64()
		}
		return floats[r.IntN(len(floats))]
	}
	check := func(what string, v any, err error) {
		t.Helper()
		if err == nil {
			if name := nonFinite(v); name != "" {
				t.Fatalf("%s: %s is not finite: %+v", what, name, v)
			}
		}
	}
	for i := 0; i < 20000; i++ {
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("panic: %v", e)
				}
			}()
			a := Counts{Promoters: c(), Passives: c(), Detractors: c()}
			b := Counts{Promoters: c(), Passives: c(), Detractors: c()}
			n, err := a.NPS()
			check("NPS", n, err)
			for _, m := range []Method{Wald, AdjustedWald} {
				iv, err := NPS{Counts: a}.Interval(f(), m)
				check("Interval", iv, err)
			}
			d, err := Compare(NPS{Counts: a}, NPS{Counts: b}, f())
			check("Compare", d, err)
			s, err := SampleSize(f(), f(), f()*MaxVariance)
			check("SampleSize", s, err)
			s, err = SampleSizeFromShares(f(), f(), f(), f())
			check("SampleSizeFromShares", s, err)
		}()
	}
}
