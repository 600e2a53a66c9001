package revenue

import (
	"testing"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue/internal/finite"
)

// propInputs draws extreme and random inputs for the property tests.
type propInputs struct{ *finite.Gen }

func (p propInputs) f() float64 {
	if p.R.IntN(3) == 0 {
		return p.R.Float64() * 2
	}
	return finite.Floats[p.R.IntN(len(finite.Floats))]
}

func (p propInputs) i() int64 { return p.Int() }

func (p propInputs) m() money.Money {
	cur := money.Currency("USD")
	if p.R.IntN(20) == 0 {
		cur = "EUR"
	}
	return money.New(p.i(), cur)
}

// TestNoNonFinite is the property of the package doc: over random and
// extreme inputs (zeros, subnormals, MaxFloat64, NaN, ±Inf, MaxInt64,
// MinInt64) no calculator panics or returns NaN or ±Inf in any field — it
// returns an error instead.
func TestNoNonFinite(t *testing.T) {
	p := propInputs{&finite.Gen{}}
	calcs := map[string]func() (any, error){
		"CostPerLead": func() (any, error) { return CostPerLead(p.m(), p.i()) },
		"CAC": func() (any, error) {
			if p.R.IntN(2) == 0 {
				return CAC(p.m(), p.m(), p.i(), CACMarketingOnly)
			}
			return CAC(p.m(), p.m(), p.i())
		},
		"CACPayback":       func() (any, error) { return CACPayback(p.m(), p.m(), p.f()) },
		"ARPA":             func() (any, error) { return ARPA(p.m(), p.i()) },
		"LTV":              func() (any, error) { return LTV(p.m(), p.f(), WithGrossMargin(p.f())) },
		"DiscountedCLV":    func() (any, error) { return DiscountedCLV(p.m(), p.f(), p.f()) },
		"LTVToCAC":         func() (any, error) { return LTVToCAC(p.m(), p.m()) },
		"ROI":              func() (any, error) { return ROI(p.m(), p.m(), WithGrossMargin(p.f()), WithBaseline(p.m())) },
		"ROAS":             func() (any, error) { return ROAS(p.m(), p.m()) },
		"PipelineVelocity": func() (any, error) { return PipelineVelocity(p.i(), p.f(), p.m(), time.Duration(p.i())) },
		"PipelineCoverage": func() (any, error) { return PipelineCoverage(p.m(), p.m(), p.m()) },
		"RequiredCoverage": func() (any, error) { return RequiredCoverage(p.f()) },
		"CoverageExpected": func() (any, error) {
			return PipelineCoverage(p.m(), p.m(), p.m(), WithExpectedWinRate(p.f()))
		},
		"VelocityPeriod": func() (any, error) {
			return PipelineVelocity(p.i(), p.f(), p.m(), time.Duration(p.i()), WithPeriod(time.Duration(p.i())))
		},
		"MarketingShare": func() (any, error) { return MarketingShare(p.m(), p.m()) },
		"FunnelFromCounts": func() (any, error) {
			return FunnelFromCounts(FunnelCohort, []StageCount{{StageLead, p.i()}, {StageMQL, p.i()}, {StageSQL, p.i()}})
		},
		"EmailEngagement": func() (any, error) {
			return EmailEngagement(EmailStats{Sent: p.i(), Delivered: p.i(), Bounced: p.i(), Opens: p.i(), Clicks: p.i(), Unsubscribes: p.i()})
		},
		"deals": func() (any, error) {
			var ds []Deal
			for range p.R.IntN(4) {
				st := []DealStatus{DealWon, DealLost, DealOpen}[p.R.IntN(3)]
				ds = append(ds, Deal{ID: "d", Status: st, Amount: p.m(), Created: time.Unix(p.i()%1e11, 0), Closed: time.Unix(p.i()%1e11, 0),
					Touches: []Touch{{Kind: TouchMarketing, At: time.Unix(p.i()%1e11, 0)}}})
			}
			b, err2 := AverageDealSize(ds, "USD")
			c, err3 := WinRate(ds)
			d, err4 := SalesCycleLength(ds)
			_, _, _ = err2, err3, err4
			return []any{b, c, d}, nil
		},
	}
	finite.Run(t, p.Gen, 5000, calcs)
}
