package mrr

import (
	"errors"
	"testing"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// TestCustomerRatios: customer retention and churn (moved from revenue's
// TestRatios and TestCalculatorErrors).
func TestCustomerRatios(t *testing.T) {
	tests := []struct {
		name string
		f    func() (revenue.Metric, error)
		want float64
	}{
		// CRR = (E − N)/S = (210 − 30)/200 = 0.9
		{"retention", func() (revenue.Metric, error) { return CustomerRetention(200, 210, 30) }, 0.9},
		// churn = lost/start = 20/200 = 0.1
		{"churn", func() (revenue.Metric, error) { return CustomerChurn(200, 20, 30) }, 0.1},
		// churn = lost/(start+new) = 20/230
		{"churn start+new", func() (revenue.Metric, error) { return CustomerChurn(200, 20, 30, CustomerChurnStartPlusNew) }, 20.0 / 230},
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
		{"retention zero start", func() error { _, err := CustomerRetention(0, 5, 5); return err }, money.ErrDivisionByZero},
		{"retention new > end", func() error { _, err := CustomerRetention(10, 5, 6); return err }, money.ErrInvalidInput},
		{"retention retained > start", func() error { _, err := CustomerRetention(10, 20, 5); return err }, money.ErrInvalidInput},
		{"retention negative", func() error { _, err := CustomerRetention(-1, 5, 0); return err }, money.ErrInvalidInput},
		{"churn zero start", func() error { _, err := CustomerChurn(0, 0, 5); return err }, money.ErrDivisionByZero},
		{"churn lost > start", func() error { _, err := CustomerChurn(10, 11, 0); return err }, money.ErrInvalidInput},
		{"churn zero start+new", func() error { _, err := CustomerChurn(0, 0, 0, CustomerChurnStartPlusNew); return err }, money.ErrDivisionByZero},
		{"churn unknown variant", func() error { _, err := CustomerChurn(10, 1, 0, "start_minus_new"); return err }, money.ErrInvalidInput},
		{"mrr churn two variants", func() error { _, err := Churn(Month{}, ChurnNet, ChurnGross); return err }, money.ErrInvalidInput},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
