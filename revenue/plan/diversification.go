package plan

import (
	"fmt"
	"sort"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// SourceRevenue is the revenue of one source (a product, channel, segment or
// customer) over a period, and whether it is recurring.
type SourceRevenue struct {
	Source    string      `json:"source"`
	Amount    money.Money `json:"amount"`
	Recurring bool        `json:"recurring"`
}

// SourceShare is one source's share of total revenue.
type SourceShare struct {
	Source string  `json:"source"`
	Share  float64 `json:"share"` // fraction of the total
}

// Diversification describes how concentrated revenue is.
type Diversification struct {
	Variant revenue.Variant `json:"variant"` // "herfindahl"
	Total   money.Money     `json:"total"`
	// HHI is the Herfindahl–Hirschman index Σ sᵢ² over the shares sᵢ
	// (fractions, so HHI is in (0, 1]; 1 is a single source).
	HHI float64 `json:"hhi"`
	// Effective is the effective number of sources, 1 / HHI: n equal sources
	// give n.
	Effective float64 `json:"effective_sources"`
	// RecurringShare is recurring revenue / total revenue.
	RecurringShare float64       `json:"recurring_share"`
	Shares         []SourceShare `json:"shares"` // largest first, ties by name
}

// HerfindahlVariant names the Herfindahl-index definition of diversification.
const HerfindahlVariant revenue.Variant = "herfindahl"

// Diversify measures the concentration of revenue across sources with the
// Herfindahl–Hirschman index, HHI = Σ sᵢ² where sᵢ = amountᵢ / total
// (Herfindahl 1950; the US DoJ merger guidelines use the same index on a
// 0–10,000 scale), its reciprocal the effective number of sources
// (Adelman 1969), and the recurring share. Rows with the same Source are
// summed first. Example: 50, 30, 20 gives HHI = 0.25 + 0.09 + 0.04 = 0.38
// and 1/0.38 ≈ 2.63 effective sources.
// Errors: no sources, a negative amount (ErrInvalidInput), total zero
// (ErrDivisionByZero), currencies that differ, overflow.
func Diversify(sources []SourceRevenue) (Diversification, error) {
	const kpi = "diversification"
	if len(sources) == 0 {
		return Diversification{}, fmt.Errorf("plan: %s: %w: no sources", kpi, errEmpty)
	}
	cur := sources[0].Amount.Currency
	if err := cur.Validate(); err != nil {
		return Diversification{}, fmt.Errorf("plan: %s: %w", kpi, err)
	}
	by := map[string]int64{}
	var total, recurring int64
	for _, s := range sources {
		if err := op.Same(kpi, cur, s.Amount); err != nil {
			return Diversification{}, err
		}
		if s.Amount.Amount < 0 {
			return Diversification{}, fmt.Errorf("plan: %s: source %q: %w: negative amount %v", kpi, s.Source, errNegative, s.Amount)
		}
		var err error
		if total, err = add64(total, s.Amount.Amount); err != nil {
			return Diversification{}, fmt.Errorf("plan: %s: %w", kpi, err)
		}
		by[s.Source] += s.Amount.Amount // ≤ total
		if s.Recurring {
			recurring += s.Amount.Amount
		}
	}
	if total == 0 {
		return Diversification{}, fmt.Errorf("plan: %s: %w: total revenue is zero", kpi, errDivZero)
	}
	d := Diversification{Variant: HerfindahlVariant, Total: money.Money{Amount: total, Currency: cur}}
	for src, a := range by {
		d.Shares = append(d.Shares, SourceShare{src, float64(a) / float64(total)})
	}
	sort.Slice(d.Shares, func(i, j int) bool {
		if by[d.Shares[i].Source] != by[d.Shares[j].Source] {
			return by[d.Shares[i].Source] > by[d.Shares[j].Source]
		}
		return d.Shares[i].Source < d.Shares[j].Source
	})
	for _, s := range d.Shares {
		d.HHI += s.Share * s.Share
	}
	d.Effective = 1 / d.HHI // HHI ≥ 1/n > 0
	d.RecurringShare = float64(recurring) / float64(total)
	return d, nil
}
