package plan

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/revengine/revengine/money"
)

// TestHoltWintersWorked follows the recursions of Hyndman & Athanasopoulos
// §8.3 by hand for m = 2, y = 1, 3, 2, 4, α = β = γ = 0.5.
//
// Initial state (t = 1): ℓ = (1+3)/2 = 2; b = ((2−1)/2 + (4−3)/2)/2 = 0.5;
// s₀ = 1 − 2 = −1, s₁ = 3 − 2 = 1.
// t = 2: ŷ = 2 + 0.5 + s₀ = 1.5; ℓ₂ = 0.5(2 − (−1)) + 0.5(2 + 0.5) = 2.75;
// b₂ = 0.5(2.75 − 2) + 0.5(0.5) = 0.625; s₂ = 0.5(2 − 2 − 0.5) + 0.5(−1) = −0.75.
// t = 3: ŷ = 2.75 + 0.625 + s₁ = 4.375; ℓ₃ = 0.5(4 − 1) + 0.5(3.375) = 3.1875;
// b₃ = 0.5(3.1875 − 2.75) + 0.5(0.625) = 0.53125;
// s₃ = 0.5(4 − 2.75 − 0.625) + 0.5(1) = 0.8125.
// SSE = (2 − 1.5)² + (4 − 4.375)² = 0.390625.
// Forecast h = 1: 3.1875 + 0.53125 + s₂ = 2.96875; h = 2: 3.1875 + 1.0625 + s₃ = 5.0625;
// h = 3: 3.1875 + 1.59375 + s₂ = 4.03125.
func TestHoltWintersWorked(t *testing.T) {
	s, err := HoltWinters(context.Background(), []float64{1, 3, 2, 4}, 2, 0.5, 0.5, 0.5, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := Seasonal{Variant: HoltWintersAdditive, Period: 2, Alpha: 0.5, Beta: 0.5, Gamma: 0.5,
		Level: 3.1875, Trend: 0.53125, Seasonal: []float64{-0.75, 0.8125},
		Fitted: []float64{1.5, 4.375}, SSE: 0.390625, Forecast: []float64{2.96875, 5.0625, 4.03125}}
	if diff := cmp.Diff(want, s, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestHoltWintersExactSeason: a series that is level 15 with a ±5 season
// and no trend is fitted exactly for any parameters and forecast as is.
func TestHoltWintersExactSeason(t *testing.T) {
	y := []float64{10, 20, 10, 20, 10, 20, 10, 20}
	for _, p := range [][3]float64{{0.2, 0.1, 0.3}, {1, 1, 1}, {0, 0, 0}} {
		s, err := HoltWinters(context.Background(), y, 2, p[0], p[1], p[2], 4)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]float64{10, 20, 10, 20}, s.Forecast, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("params %v forecast (-want +got):\n%s", p, diff)
		}
		if s.SSE > 1e-20 {
			t.Errorf("params %v: SSE %v", p, s.SSE)
		}
	}
}

func TestHoltWintersErrors(t *testing.T) {
	y := []float64{1, 2, 3, 4}
	tests := []struct {
		name    string
		y       []float64
		m       int
		a, b, g float64
		h       int
	}{
		{"m zero", y, 0, 0.5, 0.5, 0.5, 1},
		{"one season", y, 3, 0.5, 0.5, 0.5, 1},
		{"huge season", y, math.MaxInt, 0.5, 0.5, 0.5, 1},
		{"alpha > 1", y, 2, 1.1, 0.5, 0.5, 1},
		{"beta < 0", y, 2, 0.5, -0.1, 0.5, 1},
		{"gamma NaN", y, 2, 0.5, 0.5, math.NaN(), 1},
		{"value Inf", []float64{1, math.Inf(1), 3, 4}, 2, 0.5, 0.5, 0.5, 1},
		{"horizon", y, 2, 0.5, 0.5, 0.5, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := HoltWinters(context.Background(), tt.y, tt.m, tt.a, tt.b, tt.g, tt.h); !errors.Is(err, money.ErrInvalidInput) {
				t.Errorf("err = %v", err)
			}
		})
	}
	if _, err := HoltWinters(context.Background(), []float64{1e308, 1e308, -1e308, -1e308}, 2, 0.5, 0.5, 0.5, 2); !errors.Is(err, money.ErrOverflow) {
		t.Errorf("overflow: %v", err)
	}
}

func TestLinearTrend(t *testing.T) {
	tests := []struct {
		name     string
		y        []float64
		a, b     float64
		forecast []float64
	}{
		// exact line: a = 10, b = 2; t = 3, 4 → 16, 18
		{"line", []float64{10, 12, 14}, 10, 2, []float64{16, 18}},
		// t̄ = 1, ȳ = 7/3; Σ(t−t̄)(y−ȳ) = (−1)(−4/3) + (1)(5/3) = 3; Σ(t−t̄)² = 2;
		// b = 1.5, a = 7/3 − 1.5 = 5/6; t = 3: 5/6 + 4.5 = 16/3
		{"least squares", []float64{1, 2, 4}, 5.0 / 6, 1.5, []float64{16.0 / 3, 16.0/3 + 1.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := LinearTrend(tt.y, len(tt.forecast))
			if err != nil {
				t.Fatal(err)
			}
			kpiApprox(t, "intercept", tr.Intercept, tt.a)
			kpiApprox(t, "slope", tr.Slope, tt.b)
			for i, w := range tt.forecast {
				kpiApprox(t, "forecast", tr.Forecast[i], w)
			}
		})
	}
	for _, bad := range [][]float64{nil, {1}, {1, math.NaN()}} {
		if _, err := LinearTrend(bad, 1); !errors.Is(err, money.ErrInvalidInput) {
			t.Errorf("%v: err = %v", bad, err)
		}
	}
	if _, err := LinearTrend([]float64{1, 2}, -1); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("negative horizon: %v", err)
	}
}

func TestDiversify(t *testing.T) {
	// shares 0.5, 0.3, 0.2: HHI = 0.25 + 0.09 + 0.04 = 0.38, 1/0.38 = 2.6316
	// effective sources; recurring 50 + 30 of 100 = 0.8. "new" appears twice
	// (20 + 30) and is summed first.
	d, err := Diversify([]SourceRevenue{
		{"subscriptions", usd(3000), true}, {"services", usd(2000), false}, {"new", usd(2000), true}, {"new", usd(3000), true},
	})
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "hhi", d.HHI, 0.38)
	kpiApprox(t, "effective", d.Effective, 1/0.38)
	kpiApprox(t, "recurring", d.RecurringShare, 0.8)
	names := []string{d.Shares[0].Source, d.Shares[1].Source, d.Shares[2].Source}
	if diff := cmp.Diff([]string{"new", "subscriptions", "services"}, names); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	// four equal sources: HHI 4 × 0.25² = 0.25, effective 4.
	d, _ = Diversify([]SourceRevenue{{"a", usd(1), false}, {"b", usd(1), false}, {"c", usd(1), false}, {"d", usd(1), false}})
	kpiApprox(t, "equal hhi", d.HHI, 0.25)
	kpiApprox(t, "equal effective", d.Effective, 4)
	for _, bad := range []struct {
		name string
		in   []SourceRevenue
		want error
	}{
		{"none", nil, money.ErrInvalidInput},
		{"zero", []SourceRevenue{{"a", usd(0), false}}, money.ErrDivisionByZero},
		{"negative", []SourceRevenue{{"a", usd(5), false}, {"b", usd(-1), false}}, money.ErrInvalidInput},
		{"currencies", []SourceRevenue{{"a", usd(5), false}, {"b", money.New(1, "EUR"), false}}, money.ErrCurrencyMismatch},
	} {
		if _, err := Diversify(bad.in); !errors.Is(err, bad.want) {
			t.Errorf("%s: err = %v, want %v", bad.name, err, bad.want)
		}
	}
}
