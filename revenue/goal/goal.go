package goal

import (
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"

	"fmt"
	"time"
)

// Target is an amount of money to reach within a period: a SMART revenue
// goal such as "USD 1,200,000.00 of new bookings in 2024".
//
// A Target is split into sub-period targets with Target.Split (the plan) and
// measured against dated actuals with Target.Pace or Plan.Pace. Amounts are
// exact minor units; every split adds back up to the cent. A Target is a
// plain value, safe for concurrent use.
//
// Overview of goals and pacing in this package:
//
//   - Target.Split spreads a target over months (Period.Months), quarters
//     (Period.Quarters) or explicit sub-periods by a Split: SplitByDays
//     (calendar days, the meaning of "evenly" here), SplitEqual,
//     SplitByWorkingDays (an explicit Calendar) or SplitByWeights (seasonal
//     weights); the parts reconcile to the minor unit by largest remainder.
//   - Plan.Pace and Target.Pace measure dated actuals at an evaluation date:
//     attainment, expected to date (WithLinearPace, WithPlanPace,
//     WithWorkingDayPace), gap, run-rate projection, daily rate still
//     required and, with WithPipeline, the pipeline still needed.
//   - NewFunnel derives the marketing-sourced revenue target and the
//     stage counts (MQL, SQL, …) a revenue target implies; Funnel.Pace
//     paces the counts.
//
// Sketch:
//
//	t := goal.Target{Period: revenue.Year(2024), Amount: money.New(120_000_000_00, "USD")}
//	plan, err := t.Split(goal.SplitByDays(), t.Period.Months())
//	rep, err := plan.Pace(ctx, actuals, revenue.Date(2024, 8, 15), goal.WithPipeline(0.25, avgDeal))
//	fmt.Println(rep.Total.Attainment, rep.Total.Gap, rep.Total.RequiredDaily)
type Target struct {
	Period revenue.Period `json:"period"`
	Amount money.Money    `json:"amount"`
}

// validate checks that the target is a positive amount of a valid currency
// over a non-empty, day-aligned period. A zero target is an error matching
// both ErrInvalidInput and ErrDivisionByZero (attainment would divide by it).
func (t Target) validate() error {
	if err := goalCheckPeriod(t.Period); err != nil {
		return fmt.Errorf("goal: target: %w", err)
	}
	if err := t.Amount.Currency.Validate(); err != nil {
		return fmt.Errorf("goal: target for %s: %w", t.Period, err)
	}
	switch {
	case t.Amount.Amount == 0:
		return fmt.Errorf("goal: target for %s: zero target %v: %w (%w)", t.Period, t.Amount, errInvalid, errDivZero)
	case t.Amount.Amount < 0:
		return fmt.Errorf("goal: target for %s: negative target %v: %w", t.Period, t.Amount, errNegative)
	}
	return nil
}

// goalCheckPeriod requires a non-empty period whose bounds are midnight UTC.
func goalCheckPeriod(p revenue.Period) error {
	if !p.End.After(p.Start) {
		return fmt.Errorf("%w: empty period %s", errInvalid, p)
	}
	if !p.Start.Equal(revenue.Day(p.Start)) || !p.End.Equal(revenue.Day(p.End)) ||
		p.Start.Location() != time.UTC || p.End.Location() != time.UTC {
		return fmt.Errorf("%w: period %s..%s is not whole UTC days (use Month, Quarter, Year or Range)",
			money.ErrInvalidInput, p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339))
	}
	return nil
}

// splitKind enumerates the split methods.
type splitKind int

const (
	splitDays splitKind = iota // zero value: by calendar days
	splitEqual
	splitWorkingDays
	splitWeights
)

// Split says how a Target is spread over its sub-periods. Every method
// computes one non-negative weight per sub-period and hands the amount out
// with Money.Allocate, the largest-remainder (Hamilton) method: each part
// gets the truncation of its exact quota amount × wᵢ/Σw, and the minor units
// left over go one each to the parts with the largest remainders, ties to the
// earlier part. The parts therefore always add up to the target exactly.
//
// The zero Split is SplitByDays. A Split is immutable and safe for
// concurrent use.
type Split struct {
	kind    splitKind
	cal     revenue.Calendar
	weights []float64
}

// SplitEqual gives each sub-period the same share, whatever its length
// (weight 1 each): USD 100.00 over three months is 33.34, 33.33, 33.33.
func SplitEqual() Split { return Split{kind: splitEqual} }

// SplitByDays weights each sub-period by its calendar days, so a target is
// spread evenly over time: February gets 29/366 of a leap year. This is what
// "evenly" means in this package and it is the zero Split.
func SplitByDays() Split { return Split{kind: splitDays} }

// SplitByWorkingDays weights each sub-period by its working days in cal.
// A sub-period with no working day gets zero; a period with none at all is
// an ErrDivisionByZero.
func SplitByWorkingDays(cal revenue.Calendar) Split { return Split{kind: splitWorkingDays, cal: cal} }

// SplitByWeights weights the sub-periods by the given seasonal weights, one
// per sub-period in order, for instance last year's monthly revenue (shares
// or plain amounts: only the proportions matter). Weights must be finite and
// non-negative with a positive sum. The slice is copied.
func SplitByWeights(weights ...float64) Split {
	return Split{kind: splitWeights, weights: append([]float64(nil), weights...)}
}

// String names the method: "equal", "days", "working_days" or "weights".
func (s Split) String() string {
	switch s.kind {
	case splitEqual:
		return "equal"
	case splitWorkingDays:
		return "working_days"
	case splitWeights:
		return "weights"
	}
	return "days"
}

// MarshalText encodes the split as its name.
func (s Split) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// weightsFor returns the split's weight for each part.
func (s Split) weightsFor(parts []revenue.Period) ([]float64, error) {
	w := make([]float64, len(parts))
	switch s.kind {
	case splitEqual:
		for i := range w {
			w[i] = 1
		}
	case splitDays:
		for i, p := range parts {
			w[i] = float64(p.Days())
		}
	case splitWorkingDays:
		if err := s.cal.Validate(); err != nil {
			return nil, err
		}
		wd := s.cal
		for i, p := range parts {
			w[i] = float64(wd.WorkingDays(revenue.Period{Start: p.Start, End: p.End}))
		}
	case splitWeights:
		if len(s.weights) != len(parts) {
			return nil, fmt.Errorf("%w: %d seasonal weights for %d sub-periods", errInvalid, len(s.weights), len(parts))
		}
		copy(w, s.weights)
	}
	return w, nil
}

// Plan is a Target together with its split into sub-period targets: the
// plan that pacing measures against. Parts are contiguous, in order, tile
// Target.Period exactly and their amounts add up to Target.Amount to the
// minor unit. Build one with Target.Split; a Plan is a plain value, safe for
// concurrent use once built.
type Plan struct {
	Target Target   `json:"target"`
	Split  Split    `json:"split"`
	Parts  []Target `json:"parts"`
}

// MaxParts is the most sub-periods a target may be split into: 100
// years of months. It bounds the work of the largest-remainder allocation,
// which grows with the square of the number of parts.
const MaxParts = 1200

// Split spreads t over the sub-periods parts with the method s and returns
// the plan. parts must tile t.Period: the first starts on t.Period.Start,
// each starts where the previous ends, the last ends on t.Period.End, none
// is empty. Use t.Period.Months(), t.Period.Quarters() or explicit
// periods; at most MaxParts of them. The target must be positive (zero or negative targets are
// ErrInvalidInput; zero also matches ErrDivisionByZero).
//
// Example: USD 100.00 for 2024-Q1 by days (31, 29 and 31 days of 91) has
// quotas 34.0659…, 31.8681…, 34.0659… in cents 3406.59, 3186.81, 3406.59;
// truncated 3406+3186+3406 = 9998, the two cents left go to February
// (.81) and then to January (.59, tie with March, earlier part wins):
// 34.07, 31.87, 34.06.
func (t Target) Split(s Split, parts []revenue.Period) (Plan, error) {
	if err := t.validate(); err != nil {
		return Plan{}, err
	}
	if len(parts) == 0 || len(parts) > MaxParts {
		return Plan{}, fmt.Errorf("goal: split target for %s: %w: %d sub-periods, want 1 to %d", t.Period, errInvalid, len(parts), MaxParts)
	}
	next := t.Period.Start
	for i, p := range parts {
		if err := goalCheckPeriod(p); err != nil {
			return Plan{}, fmt.Errorf("goal: split target for %s: sub-period %d: %w", t.Period, i, err)
		}
		if !p.Start.Equal(next) {
			return Plan{}, fmt.Errorf("goal: split target for %s: %w: sub-period %d (%s) starts %s, want %s (sub-periods must tile the period)",
				t.Period, money.ErrInvalidInput, i, p, p.Start.Format(time.DateOnly), next.Format(time.DateOnly))
		}
		next = p.End
	}
	if !next.Equal(t.Period.End) {
		return Plan{}, fmt.Errorf("goal: split target for %s: %w: sub-periods end %s, want %s",
			t.Period, money.ErrInvalidInput, next.Format(time.DateOnly), t.Period.End.Format(time.DateOnly))
	}
	w, err := s.weightsFor(parts)
	if err != nil {
		return Plan{}, fmt.Errorf("goal: split target for %s by %s: %w", t.Period, s, err)
	}
	amounts, err := t.Amount.Allocate(w...)
	if err != nil {
		return Plan{}, fmt.Errorf("goal: split target for %s by %s: %w", t.Period, s, err)
	}
	g := Plan{Target: t, Split: s, Parts: make([]Target, len(parts))}
	for i, p := range parts {
		g.Parts[i] = Target{Period: p, Amount: amounts[i]}
	}
	return g, nil
}
