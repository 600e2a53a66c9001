package plan

import (
	"fmt"
	"math"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// Promotion is a subscription discount over a window: Discount off the
// list price for Months calendar months from the month of Start, then back
// to list price. Its MRR impact (Promotion.MRR) is exact money per month.
// A Promotion is a plain value, safe for concurrent use.
type Promotion struct {
	Name     string    `json:"name"`
	Discount float64   `json:"discount"` // fraction off list, in [0, 1]
	Start    time.Time `json:"start"`    // any day of the first discounted month
	Months   int       `json:"months"`   // discounted months, ≥ 1
}

// PromotionMonth is one calendar month of a promotion's MRR impact.
type PromotionMonth struct {
	Month       revenue.Period `json:"month"`
	Discounted  bool           `json:"discounted"`
	Price       money.Money    `json:"price"`        // MRR per subscriber this month
	Subscribers int64          `json:"subscribers"`  // existing + won
	BaselineMRR money.Money    `json:"baseline_mrr"` // existing × list: the month without the promotion
	MRR         money.Money    `json:"mrr"`          // Subscribers × Price
	Impact      money.Money    `json:"impact"`       // MRR − BaselineMRR
}

// PromotionMRR is a promotion's MRR impact month by month and in total.
//
//	DiscountedPrice = List × (1 − Discount), half-even to the minor unit
//	                  (the price on the invoice)
//	Price(m)        = DiscountedPrice in the promotion's months, List after
//	BaselineMRR(m)  = existing × List
//	MRR(m)          = (existing + won) × Price(m)
//	Impact(m)       = MRR(m) − BaselineMRR(m)
//
// Totals are the sums over the months; every figure is exact.
type PromotionMRR struct {
	Promotion       Promotion        `json:"promotion"`
	List            money.Money      `json:"list"`
	DiscountedPrice money.Money      `json:"discounted_price"`
	Existing        int64            `json:"existing"`
	Won             int64            `json:"won"`
	Months          []PromotionMonth `json:"months"`
	TotalBaseline   money.Money      `json:"total_baseline"`
	Total           money.Money      `json:"total"`
	TotalImpact     money.Money      `json:"total_impact"`
}

// MRR returns the promotion's MRR impact over horizon months from the
// month of p.Start (horizon ≥ p.Months, so the return to list price shows).
// list is the monthly price per subscriber (positive); existing are the
// subscribers who would pay list without the promotion and get the
// discount with it; won are the subscribers the promotion brings, who pay
// the discounted price in the window and list after it. Churn is not
// modelled: subscriber counts are constant over the horizon.
func (p Promotion) MRR(list money.Money, existing, won int64, horizon int) (PromotionMRR, error) {
	if err := list.Currency.Validate(); err != nil {
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: list price: %w", p.Name, err)
	}
	switch {
	case list.Amount <= 0:
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: %w: list price %v must be positive", p.Name, errInvalid, list)
	case math.IsNaN(p.Discount) || p.Discount < 0 || p.Discount > 1:
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: %w: discount %v not in [0, 1]", p.Name, errRate, p.Discount)
	case p.Months < 1:
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: %w: %d months, want at least 1", p.Name, errInvalid, p.Months)
	case horizon < p.Months || horizon > 1200:
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: %w: horizon %d months, want %d to 1200", p.Name, errInvalid, horizon, p.Months)
	case existing < 0 || won < 0 || existing > math.MaxInt64-won:
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: %w: subscribers %d existing, %d won", p.Name, errInvalid, existing, won)
	}
	disc, err := list.MulRat(money.OnePlus(-p.Discount), money.HalfEven)
	if err != nil {
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: %w", p.Name, err)
	}
	cur := list.Currency
	r := PromotionMRR{Promotion: p, List: list, DiscountedPrice: disc, Existing: existing, Won: won,
		TotalBaseline: money.Zero(cur), Total: money.Zero(cur), TotalImpact: money.Zero(cur)}
	subs := existing + won
	baseline, err := promoTimes(list, existing)
	if err != nil {
		return PromotionMRR{}, fmt.Errorf("plan: promotion %q: %w", p.Name, err)
	}
	first := revenue.Month(p.Start.UTC().Year(), p.Start.UTC().Month())
	for i := 0; i < horizon; i++ {
		s := first.Start.AddDate(0, i, 0)
		m := PromotionMonth{Month: revenue.Month(s.Year(), s.Month()), Discounted: i < p.Months, Price: list,
			Subscribers: subs, BaselineMRR: baseline}
		if m.Discounted {
			m.Price = disc
		}
		if m.MRR, err = promoTimes(m.Price, subs); err == nil {
			if m.Impact, err = m.MRR.Sub(baseline); err == nil {
				if r.TotalBaseline, err = r.TotalBaseline.Add(baseline); err == nil {
					if r.Total, err = r.Total.Add(m.MRR); err == nil {
						r.TotalImpact, err = r.TotalImpact.Add(m.Impact)
					}
				}
			}
		}
		if err != nil {
			return PromotionMRR{}, fmt.Errorf("plan: promotion %q: month %s: %w", p.Name, m.Month, err)
		}
		r.Months = append(r.Months, m)
	}
	return r, nil
}

// promoTimes returns m × n exactly, or ErrOverflow.
func promoTimes(m money.Money, n int64) (money.Money, error) {
	return m.MulFrac(n, 1, money.Down)
}
