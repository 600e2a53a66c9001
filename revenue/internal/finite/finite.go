// Package finite finds NaN and ±Inf in a result, for the property tests
// that prove no calculator of revenue and its sub-packages returns one.
package finite

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Check walks v (structs, pointers, slices, arrays, maps, interfaces) and
// returns the path of the first float that is NaN or ±Inf, or "" when
// every float is finite. Unexported fields are skipped.
func Check(v any) string { return walk(reflect.ValueOf(v), "result") }

func walk(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Sprintf("%s = %v", path, f)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return walk(v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() {
				if p := walk(v.Field(i), path+"."+t.Field(i).Name); p != "" {
					return p
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if p := walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if p := walk(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key())); p != "" {
				return p
			}
		}
	}
	return ""
}

// Floats are the extreme float inputs of the property tests: zeros,
// subnormals, tiny and huge magnitudes, the largest float, NaN and ±Inf,
// and ordinary rates.
var Floats = []float64{0, math.Copysign(0, -1), 5e-324, 1e-300, 1e-9, 0.001, 0.1, 0.25, 0.5, 0.999999, 1, 1.0000001,
	2, 100, 1e15, 1e300, math.MaxFloat64, -1e-300, -0.5, -1, -1e300, -math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1)}

// Ints are the extreme integer inputs of the property tests.
var Ints = []int64{0, 1, 2, 3, 7, 100, 1 << 31, 1 << 53, math.MaxInt64 / 2, math.MaxInt64 - 1, math.MaxInt64, -1, -100, math.MinInt64 + 1, math.MinInt64}

// Doubled reports a package prefix ("revenue: ", "mrr: ", "goal: ",
// "plan: ", "money: ", "survey: ") that occurs more than once in an error
// message, or "" when none does.
func Doubled(msg string) string {
	seen := map[string]bool{}
	for _, seg := range strings.Split(msg, ": ") {
		switch seg {
		case "revenue", "mrr", "goal", "plan", "money", "survey":
			if seen[seg] {
				return seg
			}
			seen[seg] = true
		}
	}
	return ""
}

// Gen draws the inputs of a property test: two times in three an extreme
// value of Floats or Ints, else an ordinary random one.
type Gen struct{ R *rand.Rand }

// Float draws a float input.
func (g *Gen) Float() float64 {
	if g.R.IntN(3) == 0 {
		return g.R.Float64()
	}
	return Floats[g.R.IntN(len(Floats))]
}

// Int draws an integer input.
func (g *Gen) Int() int64 {
	if g.R.IntN(3) == 0 {
		return g.R.Int64N(1_000_000)
	}
	return Ints[g.R.IntN(len(Ints))]
}

// Run is the property test of calcs: each calculator, in name order, runs
// n times with g reseeded by its position (the same draws on every run);
// none may panic, return NaN or ±Inf in its result, or double a package
// prefix in its error.
func Run(t *testing.T, g *Gen, n int, calcs map[string]func() (any, error)) {
	t.Helper()
	for k, name := range slices.Sorted(maps.Keys(calcs)) {
		calc := calcs[name]
		t.Run(name, func(t *testing.T) {
			g.R = rand.New(rand.NewPCG(15, uint64(k)))
			for range n {
				func() {
					defer func() {
						if e := recover(); e != nil {
							t.Fatalf("panic: %v", e)
						}
					}()
					v, err := calc()
					if err != nil {
						if d := Doubled(err.Error()); d != "" {
							t.Fatalf("doubled prefix %q: %v", d, err)
						}
						return
					}
					if path := Check(v); path != "" {
						t.Fatalf("%s", path)
					}
				}()
			}
		})
	}
}
