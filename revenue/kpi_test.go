package revenue

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
)

// day is a sales-cycle day: 24 hours.
const day = 24 * time.Hour

func kpiApprox(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// TestROI: Farris et al. / HubSpot ROI = (revenue − cost)/cost.
func TestROI(t *testing.T) {
	rev, cost := usd(5_000_000), usd(1_000_000) // USD 50,000 revenue, 10,000 cost
	tests := []struct {
		name    string
		opts    []ROIOption
		want    float64
		variant Variant
	}{
		// (50,000 − 10,000) / 10,000 = 4
		{"revenue", nil, 4, ROIRevenue},
		// (50,000 × 0.6 − 10,000) / 10,000 = 2
		{"gross profit", []ROIOption{WithGrossMargin(0.6)}, 2, ROIGrossProfit},
		// (50,000 − 20,000 − 10,000) / 10,000 = 2
		{"incremental", []ROIOption{WithBaseline(usd(2_000_000))}, 2, ROIIncremental},
		// ((50,000 − 20,000) × 0.6 − 10,000) / 10,000 = 0.8
		{"incremental gross profit", []ROIOption{WithBaseline(usd(2_000_000)), WithGrossMargin(0.6)}, 0.8, ROIIncrementalGrossProfit},
		// loss: (5,000 − 10,000)/10,000 = −0.5 with baseline 45,000
		{"negative", []ROIOption{WithBaseline(usd(4_500_000))}, -0.5, ROIIncremental},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ROI(rev, cost, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			kpiApprox(t, "roi", m.Value, tt.want)
			if m.Variant != tt.variant || m.KPI != "roi" || m.Denominator != 1_000_000 {
				t.Errorf("got %+v", m)
			}
		})
	}
	// ROAS = revenue / ad spend = 50,000 / 10,000 = 5.
	m, err := ROAS(rev, cost)
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "roas", m.Value, 5)
}

func TestMoneyPerCount(t *testing.T) {
	tests := []struct {
		name    string
		f       func() (MoneyMetric, error)
		want    int64
		exact   float64
		variant Variant
	}{
		// HubSpot cost per lead: USD 1,000.00 / 3 leads = 333.333… → 333.33 (half-even)
		{"cpl", func() (MoneyMetric, error) { return CostPerLead(usd(100000), 3) }, 33333, 100000.0 / 3, CostPerLeadVariant},
		// same, rounded up: 333.34
		{"cpl ceil", func() (MoneyMetric, error) { return CostPerLead(usd(100000), 3, WithRounding(money.Ceil)) }, 33334, 100000.0 / 3, CostPerLeadVariant},
		// fully loaded CAC: (30,000 + 20,000) / 40 = 1,250.00
		{"cac", func() (MoneyMetric, error) { return CAC(usd(3_000_000), usd(2_000_000), 40) }, 125000, 125000, Variant(CACFullyLoaded)},
		// marketing-only CAC: 30,000 / 40 = 750.00
		{"cac marketing", func() (MoneyMetric, error) {
			return CAC(usd(3_000_000), usd(2_000_000), 40, CACMarketingOnly)
		}, 75000, 75000, Variant(CACMarketingOnly)},
		// a tie: 10 cents / 4 = 2.5 cents → 2 (half-even), 3 (half-up)
		{"cac tie even", func() (MoneyMetric, error) { return CAC(usd(10), usd(0), 4) }, 2, 2.5, Variant(CACFullyLoaded)},
		{"cac tie up", func() (MoneyMetric, error) { return CAC(usd(10), usd(0), 4, WithRounding(money.HalfUp)) }, 3, 2.5, Variant(CACFullyLoaded)},
		// ARPA: MRR 10,000.00 / 80 accounts = 125.00
		{"arpa", func() (MoneyMetric, error) { return ARPA(usd(1_000_000), 80) }, 12500, 12500, ARPAVariant},
		// LTV = ARPA / churn = 100.00 / 0.02 = 5,000.00
		{"ltv", func() (MoneyMetric, error) { r, err := LTV(usd(10000), 0.02); return r.MoneyMetric, err }, 500000, 500000, LTVRevenue},
		// LTV × margin: 100.00 × 0.75 / 0.02 = 3,750.00
		{"ltv margin", func() (MoneyMetric, error) {
			r, err := LTV(usd(10000), 0.02, WithGrossMargin(0.75))
			return r.MoneyMetric, err
		}, 375000, 375000, LTVGrossMargin},
		// Gupta–Lehmann: 100.00 × 0.8 / (1 + 0.1 − 0.8) = 80 / 0.3 = 266.666… → 266.67
		{"clv", func() (MoneyMetric, error) { r, err := DiscountedCLV(usd(10000), 0.8, 0.1); return r.MoneyMetric, err }, 26667, 8000.0 / 0.3, CLVDiscounted},
		// no retention: m × 0 / (1 + i) = 0
		{"clv r=0", func() (MoneyMetric, error) { r, err := DiscountedCLV(usd(10000), 0, 0.1); return r.MoneyMetric, err }, 0, 0, CLVDiscounted},
		// velocity: 20 opps × 0.25 × 5,000.00 / 50 days = 500.00 a day
		{"velocity", func() (MoneyMetric, error) {
			v, err := PipelineVelocity(20, 0.25, usd(500000), 50*day)
			return v.MoneyMetric, err
		}, 50000, 50000, VelocityVariant},
		// Decimal rates are exact decimals, so half-even ties are ties (the
		// binary 0.4 = 0.400000000000000022… made these round the other way;
		// found by the random cross-check against an exact reference):
		// LTV = 3 cents / 0.4 = 7.5 → 8 (half-even).
		{"ltv decimal tie", func() (MoneyMetric, error) { r, err := LTV(usd(3), 0.4); return r.MoneyMetric, err }, 8, 7.5, LTVRevenue},
		// LTV = 109.23 / 0.4 = 273.075 → 273.08 (27307.5 cents, half-even to 27308).
		{"ltv decimal tie 2", func() (MoneyMetric, error) { r, err := LTV(usd(10923), 0.4); return r.MoneyMetric, err }, 27308, 27307.5, LTVRevenue},
		// LTV × margin = 188.25 × 0.75 / 0.02 = 7,059.375 → 7,059.38 (705937.5 cents → 705938).
		{"ltv margin decimal tie", func() (MoneyMetric, error) {
			r, err := LTV(usd(18825), 0.02, WithGrossMargin(0.75))
			return r.MoneyMetric, err
		}, 705938, 705937.5, LTVGrossMargin},
		// CLV = 149.49 × 0.9 / (1 + 0.1 − 0.9) = 134.541 / 0.2 = 672.705 → 672.70 (67270.5 cents → 67270, even).
		{"clv decimal tie", func() (MoneyMetric, error) { r, err := DiscountedCLV(usd(14949), 0.9, 0.1); return r.MoneyMetric, err }, 67270, 67270.5, CLVDiscounted},
		// velocity = 31 × 0.25 × 196.69 / 0.26 = 5,862.875 → 5,862.88 (586287.5 cents → 586288).
		{"velocity decimal tie", func() (MoneyMetric, error) {
			v, err := PipelineVelocity(31, 0.25, usd(19669), 26*day/100)
			return v.MoneyMetric, err
		}, 586288, 586287.5, VelocityVariant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.f()
			if err != nil {
				t.Fatal(err)
			}
			if m.Value != usd(tt.want) || m.Variant != tt.variant {
				t.Errorf("value %v variant %q, want %v %q", m.Value, m.Variant, usd(tt.want), tt.variant)
			}
			kpiApprox(t, "exact", m.Exact, tt.exact)
		})
	}
}

func TestRatios(t *testing.T) {
	tests := []struct {
		name string
		f    func() (Metric, error)
		want float64
	}{
		// Skok payback: 1,250.00 / (100.00 × 0.8) = 15.625 months
		{"payback", func() (Metric, error) { return CACPayback(usd(125000), usd(10000), 0.8) }, 15.625},
		// LTV:CAC = 5,000 / 1,250 = 4
		{"ltv:cac", func() (Metric, error) { return LTVToCAC(usd(500000), usd(125000)) }, 4},
		// coverage: 300,000 / (200,000 − 50,000) = 2
		{"coverage", func() (Metric, error) {
			c, err := PipelineCoverage(usd(30_000_000), usd(20_000_000), usd(5_000_000))
			return c.Metric, err
		}, 2},
		// required coverage at a 25% win rate: 1/0.25 = 4
		{"required coverage", func() (Metric, error) { return RequiredCoverage(0.25) }, 4},
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
}

func TestCalculatorErrors(t *testing.T) {
	eur := money.New(100, "EUR")
	tests := []struct {
		name string
		f    func() error
		want error
	}{
		{"roi zero cost", func() error { _, err := ROI(usd(1), usd(0)); return err }, money.ErrDivisionByZero},
		{"roi negative cost", func() error { _, err := ROI(usd(1), usd(-1)); return err }, money.ErrInvalidInput},
		{"roi currencies", func() error { _, err := ROI(usd(1), eur); return err }, money.ErrCurrencyMismatch},
		{"roi margin > 1", func() error { _, err := ROI(usd(1), usd(1), WithGrossMargin(1.2)); return err }, money.ErrInvalidInput},
		{"roi margin NaN", func() error { _, err := ROI(usd(1), usd(1), WithGrossMargin(math.NaN())); return err }, money.ErrInvalidInput},
		{"roi baseline currency", func() error { _, err := ROI(usd(1), usd(1), WithBaseline(eur)); return err }, money.ErrCurrencyMismatch},
		{"roi bad currency", func() error { _, err := ROI(money.Money{Amount: 1}, money.Money{Amount: 1}); return err }, money.ErrInvalidCurrency},
		{"roas zero", func() error { _, err := ROAS(usd(1), usd(0)); return err }, money.ErrDivisionByZero},
		{"roas negative", func() error { _, err := ROAS(usd(-1), usd(1)); return err }, money.ErrInvalidInput},
		{"roas negative spend", func() error { _, err := ROAS(usd(1), usd(-1)); return err }, money.ErrInvalidInput},
		{"roas currencies", func() error { _, err := ROAS(usd(1), eur); return err }, money.ErrCurrencyMismatch},
		{"arpa negative", func() error { _, err := ARPA(usd(-1), 1); return err }, money.ErrInvalidInput},
		{"arpa negative accounts", func() error { _, err := ARPA(usd(1), -1); return err }, money.ErrInvalidInput},
		{"ltv:cac currencies", func() error { _, err := LTVToCAC(usd(1), eur); return err }, money.ErrCurrencyMismatch},
		{"ltv:cac negative", func() error { _, err := LTVToCAC(usd(-1), usd(1)); return err }, money.ErrInvalidInput},
		{"ltv:cac negative cac", func() error { _, err := LTVToCAC(usd(1), usd(-1)); return err }, money.ErrInvalidInput},
		{"payback currencies", func() error { _, err := CACPayback(usd(1), eur, 0.5); return err }, money.ErrCurrencyMismatch},
		{"payback negative", func() error { _, err := CACPayback(usd(-1), usd(1), 0.5); return err }, money.ErrInvalidInput},
		{"cpl zero leads", func() error { _, err := CostPerLead(usd(1), 0); return err }, money.ErrDivisionByZero},
		{"cpl negative leads", func() error { _, err := CostPerLead(usd(1), -1); return err }, money.ErrInvalidInput},
		{"cpl bad rounding", func() error { _, err := CostPerLead(usd(1), 1, WithRounding(money.Rounding(99))); return err }, money.ErrInvalidInput},
		{"cac zero customers", func() error { _, err := CAC(usd(1), usd(1), 0); return err }, money.ErrDivisionByZero},
		{"cac unknown variant", func() error { _, err := CAC(usd(1), usd(1), 1, CACVariant("gross")); return err }, money.ErrInvalidInput},
		{"cac currencies", func() error { _, err := CAC(usd(1), eur, 1); return err }, money.ErrCurrencyMismatch},
		{"cac negative sales", func() error { _, err := CAC(usd(1), usd(-1), 1); return err }, money.ErrInvalidInput},
		{"payback zero margin", func() error { _, err := CACPayback(usd(1), usd(1), 0); return err }, money.ErrDivisionByZero},
		{"payback zero arpa", func() error { _, err := CACPayback(usd(1), usd(0), 0.5); return err }, money.ErrDivisionByZero},
		{"payback margin", func() error { _, err := CACPayback(usd(1), usd(1), -0.1); return err }, money.ErrInvalidInput},
		{"arpa zero", func() error { _, err := ARPA(usd(1), 0); return err }, money.ErrDivisionByZero},
		{"ltv churn 0", func() error { _, err := LTV(usd(1), 0); return err }, ErrZeroDenominator},
		{"ltv churn > 1", func() error { _, err := LTV(usd(1), 1.5); return err }, money.ErrInvalidInput},
		{"ltv churn NaN", func() error { _, err := LTV(usd(1), math.NaN()); return err }, money.ErrInvalidInput},
		{"ltv huge", func() error { _, err := LTV(usd(math.MaxInt64), 1e-300); return err }, money.ErrOverflow},
		{"clv r=1 i=0", func() error { _, err := DiscountedCLV(usd(1), 1, 0); return err }, money.ErrDivisionByZero},
		{"clv r>1", func() error { _, err := DiscountedCLV(usd(1), 1.1, 0.1); return err }, money.ErrInvalidInput},
		{"clv i<0", func() error { _, err := DiscountedCLV(usd(1), 0.5, -0.1); return err }, money.ErrInvalidInput},
		{"clv i Inf", func() error { _, err := DiscountedCLV(usd(1), 0.5, math.Inf(1)); return err }, money.ErrInvalidInput},
		{"ltv:cac zero", func() error { _, err := LTVToCAC(usd(1), usd(0)); return err }, money.ErrDivisionByZero},
		{"velocity zero days", func() error { _, err := PipelineVelocity(1, 0.5, usd(1), 0); return err }, money.ErrDivisionByZero},
		{"velocity win rate", func() error { _, err := PipelineVelocity(1, 2, usd(1), day); return err }, money.ErrInvalidInput},
		{"velocity opps", func() error { _, err := PipelineVelocity(-1, 0.5, usd(1), day); return err }, money.ErrInvalidInput},
		// a NaN cycle is no longer representable (time.Duration); a negative one is refused
		{"velocity negative cycle", func() error { _, err := PipelineVelocity(1, 0.5, usd(1), -day); return err }, money.ErrInvalidInput},
		{"coverage quota met", func() error { _, err := PipelineCoverage(usd(1), usd(5), usd(5)); return err }, money.ErrDivisionByZero},
		{"coverage quota exceeded", func() error { _, err := PipelineCoverage(usd(1), usd(5), usd(6)); return err }, money.ErrInvalidInput},
		{"required coverage 0", func() error { _, err := RequiredCoverage(0); return err }, money.ErrDivisionByZero},
		{"required coverage > 1", func() error { _, err := RequiredCoverage(1.5); return err }, money.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f()
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestMetricJSON pins the snake_case field names of results.
func TestMetricJSON(t *testing.T) {
	m, err := CAC(usd(3_000_000), usd(2_000_000), 40)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kpi":"cac","variant":"fully_loaded","formula":"(marketing cost + sales cost) / new customers",` +
		`"value":{"amount_minor":125000,"currency":"USD"},"exact_minor":125000,"rounding":"half_even","numerator":5000000,"denominator":40}`
	if string(b) != want {
		t.Errorf("json\n got %s\nwant %s", b, want)
	}
	r, _ := ROI(usd(2), usd(1))
	b, _ = json.Marshal(r)
	if !strings.HasPrefix(string(b), `{"kpi":"roi","variant":"revenue","formula":`) {
		t.Errorf("roi json %s", b)
	}
}
