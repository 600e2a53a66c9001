package kpi

import (
	"errors"
	"math"
	"testing"

	"github.com/revengine/revengine/money"
)

// TestRoundCount: counts round with money.Rounding after snapping float
// noise (10 ÷ 0.05 = 200.00000000000003 in float64 is 200, not 201).
func TestRoundCount(t *testing.T) {
	up, even, down := money.Up, money.HalfEven, money.Down
	tests := []struct {
		name string
		x    float64
		r    *money.Rounding
		want float64
	}{
		{"kept", 2.2, nil, 2.2},
		{"up", 2.2, &up, 3},
		{"up of noise", 10 / 0.05, &up, 200},
		{"up of 72/0.6", 72 / 0.6, &up, 120},
		{"half even tie", 2.5, &even, 2},
		{"half even tie odd", 3.5, &even, 4},
		{"down", 2.9, &down, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RoundCount(tt.x, tt.r)
			if err != nil || got != tt.want {
				t.Errorf("RoundCount(%v) = %v, %v; want %v", tt.x, got, err, tt.want)
			}
		})
	}
	if _, err := RoundCount(math.Inf(1), &up); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("Inf: %v", err)
	}
	if RoundingName(nil) != "none" || RoundingName(&up) != "up" {
		t.Errorf("names %q %q", RoundingName(nil), RoundingName(&up))
	}
}
