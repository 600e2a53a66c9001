package plan

import (
	"fmt"
	"math"
	"math/big"

	"github.com/revengine/revengine/money"

	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/kpi"
)

// Step is one conversion step of a funnel: the stage reached and the rate,
// a fraction in [0, 1], at which the previous stage converts into it.
type Step struct {
	Stage string  `json:"stage"` // e.g. "leads"
	Rate  float64 `json:"rate"`  // e.g. 0.01
}

// Volume is the (possibly fractional) number of visits, leads or customers
// at a stage of a forecast or plan.
type Volume struct {
	Stage string  `json:"stage"`
	Count float64 `json:"count"`
}

// Forecast is the result of ForecastFunnel.
type Forecast struct {
	Variant revenue.Variant `json:"variant"` // "forward"
	Stages  []Volume        `json:"stages"`  // top first
}

// ForecastFunnel projects volumes down a funnel: the top stage has top
// (visits per month, say) and stage k has volume(k−1) × rate(k). Results
// are kept as fractions: the seed example 1,000 visits × 1% = 10 leads,
// × 5% = 0.5 customers a month, is an expected value, not a head count.
// This is the traffic-driven revenue model of the marketing-planning
// literature (Kotler & Keller's conversion model; the "reverse waterfall"
// read forward).
//
// Errors: top negative or not finite, a rate outside [0, 1] (ErrInvalidInput).
func ForecastFunnel(topStage string, top float64, steps ...Step) (Forecast, error) {
	if err := op.Finite("funnel forecast", "top volume", top); err != nil {
		return Forecast{}, err
	}
	if top < 0 {
		return Forecast{}, fmt.Errorf("plan: funnel forecast: %w: top volume %v is negative", errNegative, top)
	}
	out := Forecast{Variant: "forward", Stages: []Volume{{topStage, top}}}
	v := top
	for _, s := range steps {
		if err := op.Fraction("funnel forecast", "rate of "+s.Stage, s.Rate, true); err != nil {
			return Forecast{}, err
		}
		v *= s.Rate
		out.Stages = append(out.Stages, Volume{s.Stage, v})
	}
	return out, nil
}

// ReverseFunnel works a funnel backwards from a target at its bottom stage:
// the stage above stage k needs volume(k) ÷ rate(k). steps are given top to
// bottom, as for ForecastFunnel, and the result lists topStage first. With
// WithCountRounding(money.Up) each stage is rounded up before the one above
// it is computed (values within 1e-9 relative of a whole number count as
// that number).
// This is the reverse demand waterfall (SiriusDecisions): revenue goal →
// customers → leads → visits.
//
// Errors: target negative or not finite; a rate outside (0, 1]
// (ErrInvalidInput; a zero rate can reach no target); an unknown rounding.
func ReverseFunnel(topStage string, target float64, steps []Step, opts ...FunnelOption) ([]Volume, error) {
	c, err := newConfig("reverse funnel", func(c *config) {
		for _, o := range opts {
			if o != nil {
				o.applyFunnel(c)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	r := c.count
	round := func(v float64) float64 {
		x, e := kpi.RoundCount(v, r)
		if e != nil && err == nil {
			err = e
		}
		return x
	}
	if err := op.Finite("reverse funnel", "target", target); err != nil {
		return nil, err
	}
	if target < 0 {
		return nil, fmt.Errorf("plan: reverse funnel: %w: target %v is negative", errNegative, target)
	}
	if len(steps) == 0 {
		return []Volume{{topStage, round(target)}}, err
	}
	out := make([]Volume, len(steps)+1)
	v := round(target)
	for k := len(steps) - 1; k >= 0; k-- {
		s := steps[k]
		if err := op.Fraction("reverse funnel", "rate of "+s.Stage, s.Rate, false); err != nil {
			return nil, err
		}
		out[k+1] = Volume{s.Stage, v}
		v = round(v / s.Rate)
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("plan: reverse funnel: %w: volume above %s is not finite", errOverflow, s.Stage)
		}
	}
	out[0] = Volume{topStage, v}
	if err != nil {
		return nil, fmt.Errorf("plan: reverse funnel: %w", err)
	}
	return out, nil
}

// FunnelRevenueForecast is the result of FunnelRevenue: a monthly funnel
// forecast, fractional counts kept (expected values, not head counts),
// per month and per year, and the new MRR it brings.
type FunnelRevenueForecast struct {
	VisitsPerMonth    float64     `json:"visits_per_month"`
	VisitToLead       float64     `json:"visit_to_lead"`
	LeadToCustomer    float64     `json:"lead_to_customer"`
	LeadsPerMonth     float64     `json:"leads_per_month"`     // visits × visit-to-lead
	CustomersPerMonth float64     `json:"customers_per_month"` // leads × lead-to-customer
	VisitsPerYear     float64     `json:"visits_per_year"`     // 12 × per month
	LeadsPerYear      float64     `json:"leads_per_year"`      // 12 × per month
	CustomersPerYear  float64     `json:"customers_per_year"`  // 12 × per month
	ARPA              money.Money `json:"arpa"`                // monthly revenue per new customer
	// NewMRRPerMonth is CustomersPerMonth × ARPA: the MRR each month's new
	// customers add, rounded half-even once from the exact product.
	NewMRRPerMonth money.Money `json:"new_mrr_per_month"`
}

// FunnelRevenue forecasts a month of the traffic-driven funnel and its
// new MRR:
//
//	leads per month     = visits × visit-to-lead rate
//	customers per month = leads × lead-to-customer rate
//	per year            = 12 × per month
//	new MRR per month   = customers per month × ARPA
//
// Counts keep their fractions: 1,000 visits × 1% × 5% is 0.5 customers a
// month, 6 a year, and at an ARPA of 99.00 it adds 49.50 of MRR a month.
// The products are exact (rates read as decimals), converted to float64
// once.
// Errors: visits negative (ErrNegativeAmount) or not finite; a rate
// outside [0, 1] (ErrInvalidRate); ARPA negative; a figure beyond float64
// or int64 minor units (ErrOverflow).
func FunnelRevenue(visitsPerMonth, visitToLead, leadToCustomer float64, arpa money.Money) (FunnelRevenueForecast, error) {
	const k = "funnel revenue"
	if err := op.Finite(k, "visits", visitsPerMonth); err != nil {
		return FunnelRevenueForecast{}, err
	}
	if visitsPerMonth < 0 {
		return FunnelRevenueForecast{}, fmt.Errorf("plan: %s: %w: visits %v", k, errNegative, visitsPerMonth)
	}
	if err := op.Fraction(k, "visit-to-lead rate", visitToLead, true); err != nil {
		return FunnelRevenueForecast{}, err
	}
	if err := op.Fraction(k, "lead-to-customer rate", leadToCustomer, true); err != nil {
		return FunnelRevenueForecast{}, err
	}
	if err := op.Money(k, "arpa", arpa, false); err != nil {
		return FunnelRevenueForecast{}, err
	}
	visits := money.Decimal(visitsPerMonth)
	leads := new(big.Rat).Mul(visits, ratFloat(visitToLead))
	customers := new(big.Rat).Mul(leads, ratFloat(leadToCustomer))
	twelve := ratInt(12)
	f := FunnelRevenueForecast{VisitsPerMonth: visitsPerMonth, VisitToLead: visitToLead, LeadToCustomer: leadToCustomer, ARPA: arpa}
	var err error
	for _, x := range []struct {
		dst *float64
		q   *big.Rat
		n   string
	}{
		{&f.LeadsPerMonth, leads, "leads per month"}, {&f.CustomersPerMonth, customers, "customers per month"},
		{&f.VisitsPerYear, new(big.Rat).Mul(visits, twelve), "visits per year"},
		{&f.LeadsPerYear, new(big.Rat).Mul(leads, twelve), "leads per year"},
		{&f.CustomersPerYear, new(big.Rat).Mul(customers, twelve), "customers per year"},
	} {
		if *x.dst, err = ratFloat64(x.n, x.q); err != nil {
			return FunnelRevenueForecast{}, fmt.Errorf("plan: %s: %w", k, err)
		}
	}
	amt, err := money.HalfEven.Round(new(big.Rat).Mul(customers, ratInt(arpa.Amount)))
	if err != nil {
		return FunnelRevenueForecast{}, fmt.Errorf("plan: %s: new mrr: %w", k, err)
	}
	f.NewMRRPerMonth = money.Money{Amount: amt, Currency: arpa.Currency}
	return f, nil
}
