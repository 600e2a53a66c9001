package attribution

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAllocate checks the largest-remainder rounding against hand-worked
// cases: floors first, then the units left over to the largest remainders,
// ties to the earlier credit.
func TestAllocate(t *testing.T) {
	tests := []struct {
		name  string
		q     []float64
		total int64
		want  []int64
	}{
		{"none", nil, 0, []int64{}},
		// 33.33 each: floors 99, one cent left, the three remainders tie.
		{"thirds", []float64{100.0 / 3, 100.0 / 3, 100.0 / 3}, 100, []int64{34, 33, 33}},
		// Markov on paths.csv: 133.33 + 266.67; b's .67 takes the cent.
		{"markov", []float64{400 * 0.46 / 1.38, 400 * 0.92 / 1.38}, 400, []int64{133, 267}},
		// Whole credits stay as they are.
		{"whole", []float64{300, 100, 0}, 400, []int64{300, 100, 0}},
		// A negative credit (Shapley local rate): floors −51 and 150, one
		// left, remainders .5 and .5 tie → the first.
		{"negative", []float64{-50.5, 150.5}, 100, []int64{-50, 150}},
		// Float error just below a whole number.
		{"below whole", []float64{99.99999999, 1e-8}, 100, []int64{100, 0}},
		// Credits that overshoot the total by float error: floors 101, one
		// unit too many is taken from the smallest remainder.
		{"overshoot", []float64{51.2, 50.1}, 100, []int64{51, 49}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := allocate(tt.q, tt.total)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("allocate(%v, %d) (-want +got):\n%s", tt.q, tt.total, diff)
			}
			var sum int64
			for _, v := range got {
				sum += v
			}
			if len(tt.q) > 0 && sum != tt.total {
				t.Errorf("sum %d, want %d", sum, tt.total)
			}
		})
	}
}

type panicModel struct{}

func (panicModel) Name() string     { return "panic" }
func (panicModel) NeedsTimes() bool { return false }
func (panicModel) run(context.Context, *Aggregate) (*Result, error) {
	var m map[string]int
	m["boom"]++ // a bug in a model
	return nil, nil
}

// TestRunPanicIsInternal: a panic inside a model is reported as
// ErrInternal, not a crash.
func TestRunPanicIsInternal(t *testing.T) {
	_, err := Run(context.Background(), NewAggregate(), panicModel{})
	var e *Error
	if !errors.Is(err, ErrInternal) || !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error matching ErrInternal", err)
	}
}
