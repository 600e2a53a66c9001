package plan

import (
	"fmt"
	"math"
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

// FunnelForecast is the result of ForecastFunnel.
type FunnelForecast struct {
	Variant Variant  `json:"variant"` // "forward"
	Stages  []Volume `json:"stages"`  // top first
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
func ForecastFunnel(topStage string, top float64, steps ...Step) (FunnelForecast, error) {
	if err := checkFinite("funnel forecast", "top volume", top); err != nil {
		return FunnelForecast{}, err
	}
	if top < 0 {
		return FunnelForecast{}, fmt.Errorf("revenue: funnel forecast: %w: top volume %v is negative", errInvalid, top)
	}
	out := FunnelForecast{Variant: "forward", Stages: []Volume{{topStage, top}}}
	v := top
	for _, s := range steps {
		if err := checkFraction("funnel forecast", "rate of "+s.Stage, s.Rate, true); err != nil {
			return FunnelForecast{}, err
		}
		v *= s.Rate
		out.Stages = append(out.Stages, Volume{s.Stage, v})
	}
	return out, nil
}

// CountRounding says whether a reverse plan keeps fractional customers,
// leads and visits or rounds them up to whole ones.
type CountRounding string

// Count roundings of a reverse plan.
const (
	// CountExact keeps fractions (0.5 customers): the expected-value plan.
	CountExact CountRounding = "none"
	// CountUp rounds each stage up to a whole number, from the bottom of
	// the funnel upwards: ceil(customers), then ceil(that ÷ rate) leads...
	CountUp CountRounding = "up"
)

// countTolerance absorbs binary noise in rates (10 ÷ 0.05 may come out as
// 200.00000000000003) so that rounding up does not add a whole unit.
const countTolerance = 1e-9

func roundCount(v float64, r CountRounding) float64 {
	if r != CountUp {
		return v
	}
	c := math.Ceil(v)
	if c-v > 1-countTolerance*math.Max(1, math.Abs(v)) {
		c-- // v is an integer plus float noise
	}
	return c
}

// ReverseFunnel works a funnel backwards from a target at its bottom stage:
// the stage above stage k needs volume(k) ÷ rate(k). steps are given top to
// bottom, as for ForecastFunnel, and the result lists topStage first. With
// CountUp each stage is rounded up before the one above it is computed
// (values within 1e-9 relative of a whole number count as that number).
// This is the reverse demand waterfall (SiriusDecisions): revenue goal →
// customers → leads → visits.
//
// Errors: target negative or not finite; a rate outside (0, 1]
// (ErrInvalidInput; a zero rate can reach no target); an unknown rounding.
func ReverseFunnel(topStage string, target float64, r CountRounding, steps ...Step) ([]Volume, error) {
	if r != CountExact && r != CountUp {
		return nil, fmt.Errorf("revenue: reverse funnel: %w: unknown count rounding %q", errInvalid, r)
	}
	if err := checkFinite("reverse funnel", "target", target); err != nil {
		return nil, err
	}
	if target < 0 {
		return nil, fmt.Errorf("revenue: reverse funnel: %w: target %v is negative", errInvalid, target)
	}
	if len(steps) == 0 {
		return []Volume{{topStage, roundCount(target, r)}}, nil
	}
	out := make([]Volume, len(steps)+1)
	v := roundCount(target, r)
	for k := len(steps) - 1; k >= 0; k-- {
		s := steps[k]
		if err := checkFraction("reverse funnel", "rate of "+s.Stage, s.Rate, false); err != nil {
			return nil, err
		}
		out[k+1] = Volume{s.Stage, v}
		v = roundCount(v/s.Rate, r)
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("revenue: reverse funnel: %w: volume above %s is not finite", errOverflow, s.Stage)
		}
	}
	out[0] = Volume{topStage, v}
	return out, nil
}
