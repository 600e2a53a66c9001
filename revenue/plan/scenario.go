package plan

import (
	"fmt"
	"math"
	"math/big"

	"github.com/revengine/revengine/money"
)

// Baseline is the current state of one product over one period,
// against which price and promotion scenarios are compared: what a unit
// sells for, how many units sell, what a unit costs to deliver and what
// marketing spends. All money in one currency. A Baseline is a
// plain value, safe for concurrent use.
//
// Scenarios answer "what if we discount 10% and volume rises 20%?" side by
// side (Baseline.Compare), and the break-even volume change tells
// how much volume a price change must win or may lose before gross profit
// moves (Baseline.BreakEven, BreakEvenVolumeChange).
type Baseline struct {
	Price         money.Money `json:"price"`          // list price per unit, positive
	Volume        float64     `json:"volume"`         // units in the period, positive (fractional allowed)
	UnitCost      money.Money `json:"unit_cost"`      // variable cost per unit, ≥ 0
	MarketingCost money.Money `json:"marketing_cost"` // marketing spend in the period, positive
}

// UnitCost returns the variable unit cost that gives price the
// gross margin gm (in [0, 1]): price × (1 − gm), rounded half-even. Use it
// to fill Baseline.UnitCost when only the margin is known.
func UnitCost(price money.Money, gm float64) (money.Money, error) {
	if math.IsNaN(gm) || gm < 0 || gm > 1 {
		return money.Money{}, fmt.Errorf("plan: scenario: %w: gross margin %v not in [0, 1]", errRate, gm)
	}
	return price.MulRat(money.OnePlus(-gm), money.HalfEven)
}

// Scenario is a change to the baseline. Changes are fractions of the
// baseline value (−0.10 is a 10% cut, 0.25 a 25% rise); the zero Scenario is
// the baseline itself.
type Scenario struct {
	Name                string  `json:"name"`
	PriceChange         float64 `json:"price_change"`          // > −1
	VolumeChange        float64 `json:"volume_change"`         // > −1
	UnitCostChange      float64 `json:"unit_cost_change"`      // ≥ −1
	MarketingCostChange float64 `json:"marketing_cost_change"` // ≥ −1
	// ExtraMarketing is spend added on top, such as the promotion's own
	// campaign; the zero Money means none.
	ExtraMarketing money.Money `json:"extra_marketing"`
}

// ScenarioResult is one column of the comparison: the scenario's figures
// and their differences from the baseline.
//
//	Price         = baseline price × (1 + PriceChange)         (half-even to the minor unit)
//	UnitCost      = baseline unit cost × (1 + UnitCostChange)  (half-even)
//	Volume        = baseline volume × (1 + VolumeChange)
//	Revenue       = Price × Volume                             (half-even)
//	VariableCost  = UnitCost × Volume                          (half-even)
//	GrossProfit   = Revenue − VariableCost
//	GrossMargin   = GrossProfit / Revenue
//	MarketingCost = baseline marketing × (1 + MarketingCostChange) (half-even) + ExtraMarketing
//	Contribution  = GrossProfit − MarketingCost
//	MarketingROI  = (GrossProfit − MarketingCost) / MarketingCost
//	DeltaMarketingCost      = MarketingCost − baseline MarketingCost
//	IncrementalMarketingROI = (ΔGrossProfit − ΔMarketingCost) / ΔMarketingCost
//
// MarketingROI is the gross-profit marketing ROI (the "ROI on gross
// profit" variant of marketing ROI, Farris et al., "Marketing Metrics"),
// not revenue ROI: a discount that buys revenue at no profit shows as a
// loss. IncrementalMarketingROI is the return on the extra marketing
// spend alone (Farris et al.'s incremental ROMI); it is nil (JSON null)
// when the scenario spends what the baseline spends.
//
// The money figures are rounded half-even to the minor unit, each once;
// the ratios (GrossMargin, MarketingROI, their deltas and
// IncrementalMarketingROI) are computed from the exact values — the
// unrounded price × exact volume and so on — never from money already
// rounded to the cent.
type ScenarioResult struct {
	Name          string      `json:"name"`
	Price         money.Money `json:"price"`
	UnitCost      money.Money `json:"unit_cost"`
	Volume        float64     `json:"volume"`
	Revenue       money.Money `json:"revenue"`
	VariableCost  money.Money `json:"variable_cost"`
	GrossProfit   money.Money `json:"gross_profit"`
	GrossMargin   float64     `json:"gross_margin"`
	MarketingCost money.Money `json:"marketing_cost"`
	Contribution  money.Money `json:"contribution"`
	MarketingROI  float64     `json:"marketing_roi"`
	// Differences from the baseline (this minus baseline); zero for the
	// baseline column.
	DeltaRevenue      money.Money `json:"delta_revenue"`
	DeltaGrossProfit  money.Money `json:"delta_gross_profit"`
	DeltaContribution money.Money `json:"delta_contribution"`
	DeltaMarketingROI float64     `json:"delta_marketing_roi"`
	DeltaVolume       float64     `json:"delta_volume"`
	// DeltaMarketingCost is MarketingCost − baseline marketing cost.
	DeltaMarketingCost money.Money `json:"delta_marketing_cost"`
	// IncrementalMarketingROI is (ΔGrossProfit − ΔMarketingCost) /
	// ΔMarketingCost from the exact values; nil when ΔMarketingCost is zero.
	IncrementalMarketingROI *float64 `json:"incremental_marketing_roi"`
}

// scenarioExact holds a scenario's unrounded revenue, gross profit and
// marketing cost.
type scenarioExact struct{ revenue, grossProfit, marketing *big.Rat }

// ratFloat64 is q as a float64, ErrOverflow when it does not fit.
func ratFloat64(what string, q *big.Rat) (float64, error) {
	f, _ := q.Float64()
	if math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: %s does not fit a float64", errOverflow, what)
	}
	return f, nil
}

// validateUnits checks the price, volume and unit cost.
func (b Baseline) validateUnits() error {
	cur := b.Price.Currency
	if err := cur.Validate(); err != nil {
		return fmt.Errorf("plan: scenario baseline: price: %w", err)
	}
	if b.UnitCost.Currency != cur {
		return fmt.Errorf("plan: scenario baseline: unit cost: %w", &money.CurrencyMismatchError{Op: "scenario", A: cur, B: b.UnitCost.Currency})
	}
	switch {
	case b.Price.Amount <= 0:
		return fmt.Errorf("plan: scenario baseline: %w: price %v must be positive", errInvalid, b.Price)
	case math.IsNaN(b.Volume) || math.IsInf(b.Volume, 0) || b.Volume <= 0:
		return fmt.Errorf("plan: scenario baseline: %w: volume %v must be positive", errInvalid, b.Volume)
	case b.UnitCost.Amount < 0:
		return fmt.Errorf("plan: scenario baseline: %w: unit cost %v is negative", errNegative, b.UnitCost)
	}
	return nil
}

// validate checks the whole baseline, marketing cost included.
func (b Baseline) validate() error {
	if err := b.validateUnits(); err != nil {
		return err
	}
	if b.MarketingCost.Currency != b.Price.Currency {
		return fmt.Errorf("plan: scenario baseline: marketing cost: %w", &money.CurrencyMismatchError{Op: "scenario", A: b.Price.Currency, B: b.MarketingCost.Currency})
	}
	if b.MarketingCost.Amount <= 0 {
		return fmt.Errorf("plan: scenario baseline: %w: marketing cost %v must be positive (it divides marketing ROI)", errDivZero, b.MarketingCost)
	}
	return nil
}

func (s Scenario) validate(cur money.Currency) error {
	fin := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case !fin(s.PriceChange) || s.PriceChange <= -1:
		return fmt.Errorf("%w: price change %v must be finite and above −1", errInvalid, s.PriceChange)
	case !fin(s.VolumeChange) || s.VolumeChange <= -1:
		return fmt.Errorf("%w: volume change %v must be finite and above −1", errInvalid, s.VolumeChange)
	case !fin(s.UnitCostChange) || s.UnitCostChange < -1:
		return fmt.Errorf("%w: unit cost change %v must be finite and at least −1", errInvalid, s.UnitCostChange)
	case !fin(s.MarketingCostChange) || s.MarketingCostChange < -1:
		return fmt.Errorf("%w: marketing cost change %v must be finite and at least −1", errInvalid, s.MarketingCostChange)
	}
	if s.ExtraMarketing != (money.Money{}) {
		if s.ExtraMarketing.Currency != cur {
			return fmt.Errorf("extra marketing: %w", &money.CurrencyMismatchError{Op: "scenario", A: cur, B: s.ExtraMarketing.Currency})
		}
		if s.ExtraMarketing.Amount < 0 {
			return fmt.Errorf("%w: extra marketing %v is negative", errNegative, s.ExtraMarketing)
		}
	}
	return nil
}

// Compare computes the baseline and each scenario side by side: the first
// result is the baseline (named "baseline"), then one per scenario in
// order. Errors name the scenario: invalid changes (money.ErrInvalidInput), money
// in another currency (money.ErrCurrencyMismatch), a marketing cost of zero
// (money.ErrDivisionByZero, it divides marketing ROI), a revenue that rounds to
// zero (money.ErrDivisionByZero, it divides gross margin), overflow.
func (b Baseline) Compare(scenarios ...Scenario) ([]ScenarioResult, error) {
	if err := b.validate(); err != nil {
		return nil, err
	}
	base, bx, err := b.apply(Scenario{Name: "baseline"})
	if err != nil {
		return nil, fmt.Errorf("plan: scenario baseline: %w", err)
	}
	cur := b.Price.Currency
	base.DeltaRevenue, base.DeltaGrossProfit, base.DeltaContribution, base.DeltaMarketingCost = money.Zero(cur), money.Zero(cur), money.Zero(cur), money.Zero(cur)
	out := []ScenarioResult{base}
	for i, s := range scenarios {
		if err := s.validate(cur); err != nil {
			return nil, fmt.Errorf("plan: scenario %d (%q): %w", i, s.Name, err)
		}
		r, x, err := b.apply(s)
		if err != nil {
			return nil, fmt.Errorf("plan: scenario %d (%q): %w", i, s.Name, err)
		}
		if r.DeltaRevenue, err = r.Revenue.Sub(base.Revenue); err == nil {
			if r.DeltaGrossProfit, err = r.GrossProfit.Sub(base.GrossProfit); err == nil {
				if r.DeltaContribution, err = r.Contribution.Sub(base.Contribution); err == nil {
					r.DeltaMarketingCost, err = r.MarketingCost.Sub(base.MarketingCost)
				}
			}
		}
		if err == nil {
			err = r.deltas(base, x, bx)
		}
		if err != nil {
			return nil, fmt.Errorf("plan: scenario %d (%q): %w", i, s.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// deltas fills the ratio deltas from the exact values of r and base.
func (r *ScenarioResult) deltas(base ScenarioResult, rx, bx scenarioExact) error {
	roi := func(x scenarioExact) *big.Rat {
		q := new(big.Rat).Sub(x.grossProfit, x.marketing)
		return q.Quo(q, x.marketing)
	}
	var err error
	if r.DeltaMarketingROI, err = ratFloat64("marketing ROI change", new(big.Rat).Sub(roi(rx), roi(bx))); err != nil {
		return err
	}
	r.DeltaVolume = r.Volume - base.Volume
	if math.IsInf(r.DeltaVolume, 0) {
		return fmt.Errorf("%w: volume change does not fit a float64", errOverflow)
	}
	dmc := new(big.Rat).Sub(rx.marketing, bx.marketing)
	if dmc.Sign() != 0 {
		q := new(big.Rat).Sub(rx.grossProfit, bx.grossProfit)
		q.Sub(q, dmc)
		q.Quo(q, dmc)
		v, err := ratFloat64("incremental marketing ROI", q)
		if err != nil {
			return err
		}
		r.IncrementalMarketingROI = &v
	}
	return nil
}

// apply computes one scenario's figures (without deltas).
func (b Baseline) apply(s Scenario) (ScenarioResult, scenarioExact, error) {
	r := ScenarioResult{Name: s.Name, Volume: b.Volume * (1 + s.VolumeChange)}
	if math.IsInf(r.Volume, 0) {
		return ScenarioResult{}, scenarioExact{}, fmt.Errorf("%w: volume %v × (1 + %v) does not fit a float64", errOverflow, b.Volume, s.VolumeChange)
	}
	var err error
	step := func(f func() (money.Money, error)) money.Money {
		if err != nil {
			return money.Money{}
		}
		var m money.Money
		m, err = f()
		return m
	}
	// Every change scales by exactly 1 + change (changes taken as decimals),
	// and revenue and variable cost use the exact volume, rounded once.
	vol := new(big.Rat).Mul(money.Decimal(b.Volume), money.OnePlus(s.VolumeChange))
	r.Price = step(func() (money.Money, error) { return b.Price.MulRat(money.OnePlus(s.PriceChange), money.HalfEven) })
	r.UnitCost = step(func() (money.Money, error) { return b.UnitCost.MulRat(money.OnePlus(s.UnitCostChange), money.HalfEven) })
	r.Revenue = step(func() (money.Money, error) { return r.Price.MulRat(vol, money.HalfEven) })
	r.VariableCost = step(func() (money.Money, error) { return r.UnitCost.MulRat(vol, money.HalfEven) })
	r.GrossProfit = step(func() (money.Money, error) { return r.Revenue.Sub(r.VariableCost) })
	r.MarketingCost = step(func() (money.Money, error) {
		return b.MarketingCost.MulRat(money.OnePlus(s.MarketingCostChange), money.HalfEven)
	})
	if s.ExtraMarketing != (money.Money{}) {
		r.MarketingCost = step(func() (money.Money, error) { return r.MarketingCost.Add(s.ExtraMarketing) })
	}
	r.Contribution = step(func() (money.Money, error) { return r.GrossProfit.Sub(r.MarketingCost) })
	if err != nil {
		return ScenarioResult{}, scenarioExact{}, err
	}
	// The exact figures: unrounded price and unit cost times the exact volume.
	price := new(big.Rat).Mul(ratInt(b.Price.Amount), money.OnePlus(s.PriceChange))
	unit := new(big.Rat).Mul(ratInt(b.UnitCost.Amount), money.OnePlus(s.UnitCostChange))
	x := scenarioExact{revenue: new(big.Rat).Mul(price, vol)}
	x.grossProfit = new(big.Rat).Sub(x.revenue, new(big.Rat).Mul(unit, vol))
	x.marketing = new(big.Rat).Mul(ratInt(b.MarketingCost.Amount), money.OnePlus(s.MarketingCostChange))
	if s.ExtraMarketing != (money.Money{}) {
		x.marketing.Add(x.marketing, ratInt(s.ExtraMarketing.Amount))
	}
	if x.revenue.Sign() == 0 {
		return ScenarioResult{}, scenarioExact{}, fmt.Errorf("%w: revenue is zero, gross margin undefined", errDivZero)
	}
	if x.marketing.Sign() == 0 {
		return ScenarioResult{}, scenarioExact{}, fmt.Errorf("%w: marketing cost is zero, marketing ROI undefined", errDivZero)
	}
	if r.GrossMargin, err = ratFloat64("gross margin", new(big.Rat).Quo(x.grossProfit, x.revenue)); err != nil {
		return ScenarioResult{}, scenarioExact{}, err
	}
	roi := new(big.Rat).Sub(x.grossProfit, x.marketing)
	if r.MarketingROI, err = ratFloat64("marketing ROI", roi.Quo(roi, x.marketing)); err != nil {
		return ScenarioResult{}, scenarioExact{}, err
	}
	return r, x, nil
}

// BreakEvenUnreachableError reports a price cut at least as deep as the
// gross margin (GM + ΔP ≤ 0): each unit then sells at or below its variable
// cost and no volume gain restores gross profit. It matches money.ErrInvalidInput
// with errors.Is.
type BreakEvenUnreachableError struct {
	PriceChange float64 // ΔP, a fraction of price
	GrossMargin float64 // GM, a fraction of price
}

// Error describes the price change and margin.
func (e *BreakEvenUnreachableError) Error() string {
	return fmt.Sprintf("plan: break-even: price change %v at gross margin %v leaves no margin (GM + ΔP ≤ 0): no volume breaks even",
		e.PriceChange, e.GrossMargin)
}

// Is reports whether target is money.ErrInvalidInput.
func (e *BreakEvenUnreachableError) Is(target error) bool { return target == money.ErrInvalidInput }

// BreakEvenVolumeChange returns the percentage break-even sales change for
// a price change: the change in unit volume, as a fraction, at which the
// new price earns the same gross profit (contribution) as before,
//
//	ΔV/V = −ΔP / (GM + ΔP)
//
// with ΔP the price change as a fraction of the price (−0.10 for a 10%
// discount) and GM the gross (contribution) margin per unit as a fraction
// of the price, variable cost only. A 10% discount at a 40% margin needs
// −(−0.10)/(0.40 − 0.10) = +33.3% more volume; a 10% increase may lose
// up to −0.10/(0.40 + 0.10) = −20%. Source: T. T. Nagle and G. Müller,
// The Strategy and Tactics of Pricing, 6th ed. (Routledge, 2018), the
// break-even sales change formula ("% break-even sales change =
// −ΔP / (CM + ΔP)", CM the contribution margin), as in the earlier editions
// by Nagle, Hogan and Zale.
//
// GM must be in [0, 1] and ΔP finite and above −1 (money.ErrInvalidInput);
// GM + ΔP ≤ 0 is a *BreakEvenUnreachableError.
func BreakEvenVolumeChange(priceChange, grossMargin float64) (float64, error) {
	if math.IsNaN(grossMargin) || grossMargin < 0 || grossMargin > 1 {
		return 0, fmt.Errorf("plan: break-even: %w: gross margin %v not in [0, 1]", errRate, grossMargin)
	}
	if math.IsNaN(priceChange) || math.IsInf(priceChange, 0) || priceChange <= -1 {
		return 0, fmt.Errorf("plan: break-even: %w: price change %v must be finite and above −1", errInvalid, priceChange)
	}
	if grossMargin+priceChange <= 0 {
		return 0, &BreakEvenUnreachableError{PriceChange: priceChange, GrossMargin: grossMargin}
	}
	if priceChange == 0 {
		return 0, nil
	}
	return -priceChange / (grossMargin + priceChange), nil
}

// BreakEven is the break-even volume change for one price change, in
// every unit a reader may want: as a fraction, in units and in revenue.
//
//	VolumeChange = −ΔP / (GM + ΔP)       (BreakEvenVolumeChange)
//	Units        = baseline volume × VolumeChange (units to win, or that may be lost)
//	Volume       = baseline volume + Units
//	Price        = baseline price × (1 + ΔP)   (half-even)
//	Revenue      = Price × Volume              (half-even)
//	RevenueChange = Revenue − baseline revenue
//
// GM is the baseline's (price − unit cost) / price.
type BreakEven struct {
	PriceChange   float64     `json:"price_change"`
	GrossMargin   float64     `json:"gross_margin"`
	VolumeChange  float64     `json:"volume_change"`
	Units         float64     `json:"units"`
	Volume        float64     `json:"volume"`
	Price         money.Money `json:"price"`
	Revenue       money.Money `json:"revenue"`
	RevenueChange money.Money `json:"revenue_change"`
}

// BreakEven returns the break-even volume change for priceChange at the
// baseline's gross margin, in units and revenue. See BreakEven and
// BreakEvenVolumeChange for the definitions and errors.
func (b Baseline) BreakEven(priceChange float64) (BreakEven, error) {
	if err := b.validateUnits(); err != nil { // marketing cost plays no part here
		return BreakEven{}, err
	}
	gm := float64(b.Price.Amount-b.UnitCost.Amount) / float64(b.Price.Amount)
	if gm < 0 {
		return BreakEven{}, fmt.Errorf("plan: break-even: %w: unit cost %v above price %v", errInvalid, b.UnitCost, b.Price)
	}
	dv, err := BreakEvenVolumeChange(priceChange, gm)
	if err != nil {
		return BreakEven{}, err
	}
	be := BreakEven{PriceChange: priceChange, GrossMargin: gm, VolumeChange: dv,
		Units: b.Volume * dv, Volume: b.Volume * (1 + dv)}
	// Money from the exact break-even volume: with GM = (P − C)/P exactly
	// and ΔP as a decimal, ΔV/V = −ΔP/(GM + ΔP) is rational, and so is
	// V × (1 + ΔV/V); price and revenue are each rounded once.
	vol := money.Decimal(b.Volume)
	if priceChange != 0 {
		gmR := big.NewRat(b.Price.Amount-b.UnitCost.Amount, b.Price.Amount)
		dp := money.Decimal(priceChange)
		dvR := new(big.Rat).Quo(new(big.Rat).Neg(dp), new(big.Rat).Add(gmR, dp))
		vol.Mul(vol, dvR.Add(dvR, big.NewRat(1, 1)))
	}
	if be.Price, err = b.Price.MulRat(money.OnePlus(priceChange), money.HalfEven); err != nil {
		return BreakEven{}, err
	}
	if be.Revenue, err = be.Price.MulRat(vol, money.HalfEven); err != nil {
		return BreakEven{}, err
	}
	base, err := b.Price.Mul(b.Volume, money.HalfEven)
	if err != nil {
		return BreakEven{}, err
	}
	if be.RevenueChange, err = be.Revenue.Sub(base); err != nil {
		return BreakEven{}, err
	}
	return be, nil
}
