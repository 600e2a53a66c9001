package plan

import (
	"errors"
	"testing"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// TestCMGR: compound monthly growth rate, (last / first)^(1/months) − 1
// (moved from revenue's TestRatios and TestCalculatorErrors).
func TestCMGR(t *testing.T) {
	tests := []struct {
		name string
		f    func() (revenue.Metric, error)
		want float64
	}{
		// CMGR: (121/100)^(1/2) − 1 = 0.1
		{"cmgr", func() (revenue.Metric, error) { g, err := CMGR(usd(10000), usd(12100), 2); return g.Metric, err }, 0.1},
		// CMGR to zero: 0^(1/3) − 1 = −1
		{"cmgr to zero", func() (revenue.Metric, error) { g, err := CMGR(usd(10000), usd(0), 3); return g.Metric, err }, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.f()
			if err != nil {
				t.Fatal(err)
			}
			kpiApprox(t, m.KPI, m.Value, tt.want)
			if m.Variant == "" || m.Formula == "" {
				t.Errorf("unnamed definition: %+v", m)
			}
		})
	}
	for _, tt := range []struct {
		name string
		f    func() error
		want error
	}{
		{"cmgr zero first", func() error { _, err := CMGR(usd(0), usd(1), 1); return err }, money.ErrDivisionByZero},
		{"cmgr months", func() error { _, err := CMGR(usd(1), usd(1), 0); return err }, money.ErrInvalidInput},
		{"cmgr negative", func() error { _, err := CMGR(usd(1), usd(-1), 1); return err }, money.ErrInvalidInput},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
