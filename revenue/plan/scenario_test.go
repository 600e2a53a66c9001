package plan

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/revengine/revengine/money"
)

// scenarioBase: 1000 units at 100.00, unit cost 60.00 (gross margin 40%),
// marketing 10,000.00.
func scenarioBase() Baseline {
	return Baseline{Price: usd(10000), Volume: 1000, UnitCost: usd(6000), MarketingCost: usd(1000000)}
}

func TestScenarioCompare(t *testing.T) {
	got, err := scenarioBase().Compare(
		Scenario{Name: "10% off, +25% volume", PriceChange: -0.10, VolumeChange: 0.25},
		Scenario{Name: "10% off, +50% volume, campaign", PriceChange: -0.10, VolumeChange: 0.50, ExtraMarketing: usd(500000)},
		Scenario{Name: "5% up", PriceChange: 0.05, VolumeChange: -0.10, UnitCostChange: 0.02, MarketingCostChange: -0.20},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []ScenarioResult{
		// Baseline: revenue 100 × 1000 = 100,000.00; variable cost 60,000.00;
		// gross profit 40,000.00 (margin 0.4); contribution 40,000 − 10,000 =
		// 30,000.00; marketing ROI (40,000 − 10,000)/10,000 = 3.
		{Name: "baseline", Price: usd(10000), UnitCost: usd(6000), Volume: 1000,
			Revenue: usd(10000000), VariableCost: usd(6000000), GrossProfit: usd(4000000), GrossMargin: 0.4,
			MarketingCost: usd(1000000), Contribution: usd(3000000), MarketingROI: 3,
			DeltaRevenue: usd(0), DeltaGrossProfit: usd(0), DeltaContribution: usd(0), DeltaMarketingCost: usd(0)},
		// 90.00 × 1250 = 112,500.00; 60 × 1250 = 75,000.00; GP 37,500.00
		// (margin 37,500/112,500 = 1/3); contribution 27,500.00; ROI 2.75.
		{Name: "10% off, +25% volume", Price: usd(9000), UnitCost: usd(6000), Volume: 1250,
			Revenue: usd(11250000), VariableCost: usd(7500000), GrossProfit: usd(3750000), GrossMargin: 1.0 / 3,
			MarketingCost: usd(1000000), Contribution: usd(2750000), MarketingROI: 2.75,
			DeltaRevenue: usd(1250000), DeltaGrossProfit: usd(-250000), DeltaContribution: usd(-250000),
			DeltaMarketingROI: -0.25, DeltaVolume: 250, DeltaMarketingCost: usd(0)}, // same spend: no incremental ROI
		// 90 × 1500 = 135,000.00; 60 × 1500 = 90,000.00; GP 45,000.00;
		// marketing 10,000 + 5,000; contribution 30,000.00; ROI 2.
		{Name: "10% off, +50% volume, campaign", Price: usd(9000), UnitCost: usd(6000), Volume: 1500,
			Revenue: usd(13500000), VariableCost: usd(9000000), GrossProfit: usd(4500000), GrossMargin: 1.0 / 3,
			MarketingCost: usd(1500000), Contribution: usd(3000000), MarketingROI: 2,
			DeltaRevenue: usd(3500000), DeltaGrossProfit: usd(500000), DeltaContribution: usd(0),
			// incremental marketing ROI (Farris et al.): (ΔGP − ΔMC) / ΔMC
			// = (5,000 − 5,000) / 5,000 = 0: the campaign pays for itself, no more
			DeltaMarketingROI: -1, DeltaVolume: 500, DeltaMarketingCost: usd(500000), IncrementalMarketingROI: ptr(0)},
		// 105.00 × 900 = 94,500.00; unit cost 61.20 × 900 = 55,080.00; GP
		// 39,420.00 (margin 39,420/94,500); marketing 8,000.00; contribution
		// 31,420.00; ROI 31,420/8,000 = 3.9275.
		{Name: "5% up", Price: usd(10500), UnitCost: usd(6120), Volume: 900,
			Revenue: usd(9450000), VariableCost: usd(5508000), GrossProfit: usd(3942000), GrossMargin: 39420.0 / 94500,
			MarketingCost: usd(800000), Contribution: usd(3142000), MarketingROI: 3.9275,
			DeltaRevenue: usd(-550000), DeltaGrossProfit: usd(-58000), DeltaContribution: usd(142000),
			// (ΔGP − ΔMC) / ΔMC = (−580 − (−2,000)) / −2,000 = −0.71
			DeltaMarketingROI: 0.9275, DeltaVolume: -100, DeltaMarketingCost: usd(-200000), IncrementalMarketingROI: ptr(-0.71)},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Compare (-want +got):\n%s", diff)
	}
}

func TestScenarioDecimalChanges(t *testing.T) {
	// Changes are decimals applied exactly. Price 10.05 × (1 − 0.10) =
	// 9.045 → 9.04 (904.5 cents, half-even to 904; the binary 0.9 =
	// 0.900000000000000022… gave 905). Unit cost 1.50 × (1 − 0.07) = 1.395
	// → 1.40. Volume 1000 × 1.1 = 1100: revenue 9.04 × 1100 = 9,944.00,
	// variable cost 1.40 × 1100 = 1,540.00, gross profit 8,404.00.
	// Marketing 100.05 × (1 − 0.10) = 90.045 → 90.04; contribution
	// 8,404.00 − 90.04 = 8,313.96.
	b := Baseline{Price: usd(1005), Volume: 1000, UnitCost: usd(150), MarketingCost: usd(10005)}
	got, err := b.Compare(Scenario{Name: "s", PriceChange: -0.10, VolumeChange: 0.1, UnitCostChange: -0.07, MarketingCostChange: -0.10})
	if err != nil {
		t.Fatal(err)
	}
	r := got[1]
	if r.Price != usd(904) || r.UnitCost != usd(140) || r.Revenue != usd(994400) || r.VariableCost != usd(154000) ||
		r.GrossProfit != usd(840400) || r.MarketingCost != usd(9004) || r.Contribution != usd(831396) {
		t.Errorf("scenario = %+v", r)
	}
}

func TestScenarioUnitCost(t *testing.T) {
	// 49.99 × (1 − 0.35) = 32.4935 → 32.49.
	c, err := UnitCost(usd(4999), 0.35)
	if err != nil || c != usd(3249) {
		t.Errorf("UnitCost = %v, %v; want USD 32.49", c, err)
	}
	// A decimal tie: 1.50 × (1 − 0.07) = 1.395 exactly → 1.40 (139.5 cents,
	// half-even up to 140); the float 1 − 0.07 = 0.9299999999999999 gave 139.
	if c, err := UnitCost(usd(150), 0.07); err != nil || c != usd(140) {
		t.Errorf("UnitCost(1.50, 0.07) = %v, %v; want USD 1.40", c, err)
	}
	if _, err := UnitCost(usd(4999), 1.5); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("margin 1.5: err = %v", err)
	}
}

func TestScenarioErrors(t *testing.T) {
	base := scenarioBase()
	noMarketing := base
	noMarketing.MarketingCost = usd(0)
	eurCost := base
	eurCost.UnitCost = money.New(6000, "EUR")
	zeroVolume := base
	zeroVolume.Volume = 0
	tests := []struct {
		name string
		base Baseline
		s    Scenario
		want error
	}{
		{"zero marketing", noMarketing, Scenario{}, money.ErrDivisionByZero},
		{"marketing cut to zero", base, Scenario{MarketingCostChange: -1}, money.ErrDivisionByZero},
		{"mixed currency", eurCost, Scenario{}, money.ErrCurrencyMismatch},
		{"zero volume", zeroVolume, Scenario{}, money.ErrInvalidInput},
		{"price to zero", base, Scenario{PriceChange: -1}, money.ErrInvalidInput},
		{"volume to zero", base, Scenario{VolumeChange: -1}, money.ErrInvalidInput},
		{"NaN change", base, Scenario{UnitCostChange: math.NaN()}, money.ErrInvalidInput},
		{"extra in EUR", base, Scenario{ExtraMarketing: money.New(5, "EUR")}, money.ErrCurrencyMismatch},
		{"negative extra", base, Scenario{ExtraMarketing: usd(-5)}, money.ErrInvalidInput},
		{"overflow", base, Scenario{VolumeChange: 1e30}, money.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.base.Compare(tt.s); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestBreakEvenVolumeChange(t *testing.T) {
	// ΔV/V = −ΔP/(GM + ΔP), Nagle & Müller, The Strategy and Tactics of
	// Pricing: the percentage break-even sales change.
	tests := []struct {
		name   string
		dp, gm float64
		want   float64
	}{
		{"10% off at 40%", -0.10, 0.40, 0.10 / 0.30},       // +33.3%
		{"10% up at 40%", 0.10, 0.40, -0.10 / 0.50},        // −20%
		{"5% off at 25%", -0.05, 0.25, 0.05 / 0.20},        // +25%
		{"20% off at 60%", -0.20, 0.60, 0.20 / 0.40},       // +50%
		{"15% up at 30%", 0.15, 0.30, -0.15 / 0.45},        // −33.3%
		{"no change", 0, 0.40, 0},                          // nothing to recover
		{"increase at zero margin", 0.20, 0, -0.20 / 0.20}, // −100%
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BreakEvenVolumeChange(tt.dp, tt.gm)
			if err != nil || !paceApprox(got, tt.want) {
				t.Errorf("BreakEvenVolumeChange(%v, %v) = %v, %v; want %v", tt.dp, tt.gm, got, err, tt.want)
			}
		})
	}
	if got, _ := BreakEvenVolumeChange(-0.10, 0.40); math.Abs(got-0.333333) > 1e-6 {
		t.Errorf("the issue's example: %v, want +33.3%%", got)
	}
	errs := []struct {
		name   string
		dp, gm float64
	}{{"cut equal to margin", -0.40, 0.40}, {"cut deeper than margin", -0.50, 0.40}, {"zero margin cut", -0.01, 0}}
	for _, tt := range errs {
		_, err := BreakEvenVolumeChange(tt.dp, tt.gm)
		var ue *BreakEvenUnreachableError
		if !errors.As(err, &ue) || !errors.Is(err, money.ErrInvalidInput) || ue.PriceChange != tt.dp || ue.GrossMargin != tt.gm {
			t.Errorf("%s: err = %v, want *BreakEvenUnreachableError", tt.name, err)
		}
	}
	for _, in := range [][2]float64{{-1, 0.4}, {math.NaN(), 0.4}, {math.Inf(1), 0.4}, {0.1, 1.2}, {0.1, -0.1}, {0.1, math.NaN()}} {
		if _, err := BreakEvenVolumeChange(in[0], in[1]); !errors.Is(err, money.ErrInvalidInput) {
			t.Errorf("BreakEvenVolumeChange(%v, %v): err = %v, want ErrInvalidInput", in[0], in[1], err)
		}
	}
}

func TestScenarioBreakEven(t *testing.T) {
	b := scenarioBase()
	b.MarketingCost = money.Money{} // not needed for break-even
	tests := []struct {
		name string
		dp   float64
		want BreakEven
	}{
		// GM = (100 − 60)/100 = 0.4. 10% off: ΔV = 1/3; 333.33 more units, 1333.33
		// in all; 90.00 × 1333.33 = 120,000.00, 20,000.00 more than 100,000.00.
		// Check: gross profit (90 − 60) × 1333.33 = 40,000.00, as before.
		{"10% off", -0.10, BreakEven{PriceChange: -0.10, GrossMargin: 0.4, VolumeChange: 1.0 / 3,
			Units: 1000.0 / 3, Volume: 4000.0 / 3, Price: usd(9000), Revenue: usd(12000000), RevenueChange: usd(2000000)}},
		// 10% up: ΔV = −0.2; 200 units may go; 110.00 × 800 = 88,000.00
		// (−12,000.00); gross profit (110 − 60) × 800 = 40,000.00.
		{"10% up", 0.10, BreakEven{PriceChange: 0.10, GrossMargin: 0.4, VolumeChange: -0.2,
			Units: -200, Volume: 800, Price: usd(11000), Revenue: usd(8800000), RevenueChange: usd(-1200000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.BreakEven(tt.dp)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("BreakEven (-want +got):\n%s", diff)
			}
		})
	}
	var ue *BreakEvenUnreachableError
	if _, err := b.BreakEven(-0.45); !errors.As(err, &ue) {
		t.Errorf("45%% off at 40%% margin: err = %v, want *BreakEvenUnreachableError", err)
	}
	above := b
	above.UnitCost = usd(12000)
	if _, err := above.BreakEven(0.1); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("unit cost above price: err = %v", err)
	}
}

func ptr(f float64) *float64 { return &f }

// TestScenarioExactRatios: ratios come from the exact values, not from
// money rounded to the cent. Price 0.01 × (1 − 0.5) = 0.005 (rounds to
// 0.00 half-even: revenue shows as 0.00), volume 3, unit cost 0: the exact
// revenue is 0.015, gross profit 0.015, gross margin 0.015/0.015 = 1 (the
// rounded figures would divide by zero); marketing 1.00: ROI (0.015 −
// 1)/1 = −0.985 (cents: −0.985 exactly).
func TestScenarioExactRatios(t *testing.T) {
	b := Baseline{Price: usd(1), Volume: 3, UnitCost: usd(0), MarketingCost: usd(100)}
	got, err := b.Compare(Scenario{Name: "half", PriceChange: -0.5})
	if err != nil {
		t.Fatal(err)
	}
	r := got[1]
	kpiApprox(t, "gross margin", r.GrossMargin, 1)
	kpiApprox(t, "marketing roi", r.MarketingROI, -0.985)
	// baseline: revenue 0.03, ROI (0.03 − 1)/1 = −0.97; Δ = −0.985 + 0.97 = −0.015
	kpiApprox(t, "delta roi", r.DeltaMarketingROI, -0.015)
}
