package plan

import (
	"github.com/revengine/revengine/revenue"

	"github.com/revengine/revengine/revenue/internal/kpi"
	"github.com/revengine/revengine/revenue/internal/metric"

	"fmt"
	"math"
	"math/big"

	"github.com/revengine/revengine/money"
)

// ProfitInput is one scenario of a reverse profit plan.
type ProfitInput struct {
	Name               string      `json:"name"`
	RevenueGoal        money.Money `json:"revenue_goal"`         // revenue wanted in the plan period
	RevenuePerCustomer money.Money `json:"revenue_per_customer"` // average revenue a new customer brings in the period
	VisitToLead        float64     `json:"visit_to_lead"`        // in (0, 1]
	LeadToCustomer     float64     `json:"lead_to_customer"`     // in (0, 1]
	CostPerLead        money.Money `json:"cost_per_lead"`        // marketing cost of one lead
	GrossMargin        float64     `json:"gross_margin"`         // in [0, 1]
}

// ProfitResult is a worked reverse profit plan.
type ProfitResult struct {
	Name      string  `json:"name"`
	Variant   string  `json:"variant"`  // the count rounding: "none" (fractions kept) or its name, e.g. "up"
	Rounding  string  `json:"rounding"` // of money amounts, e.g. "half_even"
	Customers float64 `json:"customers"`
	Leads     float64 `json:"leads"`
	Visits    float64 `json:"visits"`
	// Revenue is Customers × RevenuePerCustomer: the goal itself when
	// counts are exact, possibly more when they are rounded up.
	Revenue     money.Money `json:"revenue"`
	Budget      money.Money `json:"budget"`       // Leads × CostPerLead
	GrossProfit money.Money `json:"gross_profit"` // Revenue × GrossMargin
	Profit      money.Money `json:"profit"`       // GrossProfit − Budget
	// ROI is (GrossProfit − Budget) / Budget (marketing ROI on gross
	// profit); nil when the budget is zero.
	ROI *revenue.Metric `json:"roi"`
}

// Profit works a revenue goal back to the marketing budget and profit:
//
//	customers = goal ÷ revenue per customer
//	leads     = customers ÷ lead-to-customer rate
//	visits    = leads ÷ visit-to-lead rate
//	budget    = leads × cost per lead
//	profit    = customers × revenue per customer × gross margin − budget
//
// the reverse funnel of the revenue-marketing planning method (seed example
// read backwards: 0.5 customers ÷ 5% = 10 leads ÷ 1% = 1,000 visits).
// Options: WithCountRounding (without it fractions are kept;
// WithCountRounding(money.Up) rounds customers, then leads, then visits
// up), WithRounding for money (default HalfEven). Money is computed exactly from the counts and
// rounded once per amount.
//
// Errors: currencies that differ (ErrCurrencyMismatch); a negative goal or
// cost; revenue per customer not positive (ErrDivisionByZero when zero);
// rates outside (0, 1] or margin outside [0, 1] (ErrInvalidInput).
func Profit(in ProfitInput, opts ...ProfitOption) (ProfitResult, error) {
	c, err := newConfig("profit plan", func(c *config) {
		for _, o := range opts {
			if o != nil {
				o.applyProfit(c)
			}
		}
	})
	if err != nil {
		return ProfitResult{}, err
	}
	kpi := "profit plan"
	if in.Name != "" {
		kpi = "profit plan " + in.Name
	}
	cur := in.RevenueGoal.Currency
	if err := op.Money(kpi, "revenue goal", in.RevenueGoal, false); err != nil {
		return ProfitResult{}, err
	}
	if err := op.Same(kpi, cur, in.RevenuePerCustomer, in.CostPerLead); err != nil {
		return ProfitResult{}, err
	}
	if err := op.Money(kpi, "cost per lead", in.CostPerLead, false); err != nil {
		return ProfitResult{}, err
	}
	switch {
	case in.RevenuePerCustomer.Amount == 0:
		return ProfitResult{}, fmt.Errorf("plan: %s: %w: revenue per customer is zero", kpi, errDivZero)
	case in.RevenuePerCustomer.Amount < 0:
		return ProfitResult{}, fmt.Errorf("plan: %s: %w: revenue per customer %v is negative", kpi, errInvalid, in.RevenuePerCustomer)
	}
	if err := op.Fraction(kpi, "gross margin", in.GrossMargin, true); err != nil {
		return ProfitResult{}, err
	}
	customers := new(big.Rat).SetFrac64(in.RevenueGoal.Amount, in.RevenuePerCustomer.Amount)
	cf, _ := customers.Float64()
	var fo []FunnelOption
	if c.count != nil {
		fo = append(fo, WithCountRounding(*c.count))
	}
	vols, err := ReverseFunnel("visits", cf, []Step{{"leads", in.VisitToLead}, {"customers", in.LeadToCustomer}}, fo...)
	if err != nil {
		return ProfitResult{}, fmt.Errorf("plan: %s: %w", kpi, err)
	}
	p := ProfitResult{Name: in.Name, Variant: kpiRoundingName(c.count), Rounding: c.rounding.String(),
		Visits: vols[0].Count, Leads: vols[1].Count, Customers: vols[2].Count}
	// Exact money: use the rational customers when no rounding applies.
	custR := customers
	if c.count != nil {
		custR = ratFloat(p.Customers)
	}
	leadsR := new(big.Rat).Quo(custR, ratFloat(in.LeadToCustomer))
	if c.count != nil {
		leadsR = ratFloat(p.Leads)
	}
	revR := new(big.Rat).Mul(custR, ratInt(in.RevenuePerCustomer.Amount))
	amt := func(q *big.Rat, what string) (money.Money, error) {
		v, err := c.rounding.Round(q)
		if err != nil {
			return money.Money{}, fmt.Errorf("plan: %s: %s: %w", kpi, what, err)
		}
		return money.Money{Amount: v, Currency: cur}, nil
	}
	if p.Revenue, err = amt(revR, "revenue"); err != nil {
		return ProfitResult{}, err
	}
	if p.Budget, err = amt(new(big.Rat).Mul(leadsR, ratInt(in.CostPerLead.Amount)), "budget"); err != nil {
		return ProfitResult{}, err
	}
	if p.GrossProfit, err = amt(new(big.Rat).Mul(revR, ratFloat(in.GrossMargin)), "gross profit"); err != nil {
		return ProfitResult{}, err
	}
	if p.Profit, err = p.GrossProfit.Sub(p.Budget); err != nil {
		return ProfitResult{}, fmt.Errorf("plan: %s: profit: %w", kpi, err)
	}
	if p.Budget.Amount != 0 {
		roi, err := metric.New(op, "roi", revenue.ROIGrossProfit, "(gross profit − budget) / budget",
			float64(p.Profit.Amount), float64(p.Budget.Amount))
		if err == nil && !math.IsInf(roi.Value, 0) {
			p.ROI = &roi
		}
	}
	return p, nil
}

// Profits works several scenarios with the same options and returns
// them in input order, to be read side by side. The first failing scenario
// stops the computation; its error names it.
func Profits(scenarios []ProfitInput, opts ...ProfitOption) ([]ProfitResult, error) {
	out := make([]ProfitResult, 0, len(scenarios))
	for i, s := range scenarios {
		p, err := Profit(s, opts...)
		if err != nil {
			return nil, fmt.Errorf("scenario %d: %w", i+1, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func kpiRoundingName(r *money.Rounding) string { return kpi.RoundingName(r) }
