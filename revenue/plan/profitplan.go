package plan

import (
	"github.com/revengine/revengine/revenue"

	"github.com/revengine/revengine/revenue/internal/kpi"
	"github.com/revengine/revengine/revenue/internal/metric"

	"fmt"
	"math/big"
	"strings"

	"github.com/revengine/revengine/money"
)

// ProfitInput is one scenario of a reverse profit plan. All money in one
// currency.
type ProfitInput struct {
	Name               string      `json:"name"`
	RevenueGoal        money.Money `json:"revenue_goal"`         // revenue wanted in the plan period
	RevenuePerCustomer money.Money `json:"revenue_per_customer"` // average revenue a new customer brings in the period
	VisitToLead        float64     `json:"visit_to_lead"`        // in (0, 1]
	LeadToCustomer     float64     `json:"lead_to_customer"`     // in (0, 1]
	CostPerLead        money.Money `json:"cost_per_lead"`        // marketing cost of one lead
	GrossMargin        float64     `json:"gross_margin"`         // in [0, 1]
	// FixedCosts are the period's costs that do not scale with customers
	// (salaries, rent, tools); the zero Money means none.
	FixedCosts money.Money `json:"fixed_costs"`
}

// ProfitResult is a worked reverse profit plan. Every money figure is
// computed exactly and rounded once (WithRounding, default HalfEven);
// Profit is GrossProfit − Budget − FixedCosts of the rounded figures, so
// the plan adds up to the cent.
type ProfitResult struct {
	Name      string  `json:"name"`
	Variant   string  `json:"variant"`  // the count rounding: "none" (fractions kept) or its name, e.g. "up"
	Rounding  string  `json:"rounding"` // of money amounts, e.g. "half_even"
	Customers float64 `json:"customers"`
	Leads     float64 `json:"leads"`
	Visits    float64 `json:"visits"`
	// Revenue is the revenue gross profit is computed on: the goal, or
	// Customers × RevenuePerCustomer under WithProfitOnRoundedCustomers.
	Revenue money.Money `json:"revenue"`
	// CustomerRevenue is Customers × RevenuePerCustomer: the goal when
	// counts are exact, possibly more when they are rounded up.
	CustomerRevenue money.Money `json:"customer_revenue"`
	Budget          money.Money `json:"budget"`       // Leads × CostPerLead
	GrossProfit     money.Money `json:"gross_profit"` // Revenue × GrossMargin
	FixedCosts      money.Money `json:"fixed_costs"`  // as given (zero when none)
	Profit          money.Money `json:"profit"`       // GrossProfit − Budget − FixedCosts
	// ProfitMargin is Profit / Revenue; nil when Revenue is zero.
	ProfitMargin *revenue.Metric `json:"profit_margin"`
	// BudgetPerCustomer is Budget / Customers, the marketing cost of one
	// customer (CostPerLead / LeadToCustomer when counts are exact); nil
	// when there are no customers.
	BudgetPerCustomer *revenue.MoneyMetric `json:"budget_per_customer"`
	// ROI is (GrossProfit − Budget) / Budget, the marketing ROI on gross
	// profit (fixed costs are not a marketing investment); nil when the
	// budget is zero.
	ROI *revenue.Metric `json:"roi"`
	// RoundedCounts lists the figures computed from the rounded counts
	// (with WithCountRounding): "customers", "leads", "visits", "budget",
	// "budget_per_customer", "customer_revenue", and "revenue",
	// "gross_profit", "profit", "profit_margin" and "roi" under
	// WithProfitOnRoundedCustomers. Empty when counts keep their fractions.
	RoundedCounts []string `json:"rounded_counts"`
}

// Profit works a revenue goal back to the marketing budget and profit:
//
//	customers    = goal ÷ revenue per customer
//	leads        = customers ÷ lead-to-customer rate
//	visits       = leads ÷ visit-to-lead rate
//	budget       = leads × cost per lead
//	gross profit = goal × gross margin
//	profit       = gross profit − budget − fixed costs
//	profit margin       = profit ÷ goal
//	budget per customer = budget ÷ customers
//	ROI          = (gross profit − budget) ÷ budget
//
// the reverse funnel of the revenue-marketing planning method (seed example
// read backwards: 0.5 customers ÷ 5% = 10 leads ÷ 1% = 1,000 visits).
// Options: WithCountRounding (without it fractions are kept;
// WithCountRounding(money.Up) rounds customers, then leads, then visits
// up; budget and budget per customer then use the rounded counts, and
// RoundedCounts says so), WithProfitOnRoundedCustomers (gross profit on
// the revenue of the rounded customers instead of the goal), WithRounding
// for money (default HalfEven). Ratios are computed from the exact values,
// not from money rounded to the cent.
//
// Errors: currencies that differ, fixed costs included
// (ErrCurrencyMismatch); a negative goal, cost or fixed cost
// (ErrNegativeAmount); revenue per customer zero (ErrZeroDenominator) or
// negative; rates outside (0, 1] or margin outside [0, 1] (ErrInvalidRate;
// a zero rate is ErrZeroDenominator).
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
	fixed := in.FixedCosts
	if fixed == (money.Money{}) {
		fixed = money.Zero(cur)
	}
	if err := op.Money(kpi, "revenue goal", in.RevenueGoal, false); err != nil {
		return ProfitResult{}, err
	}
	if err := op.Same(kpi, cur, in.RevenuePerCustomer, in.CostPerLead, fixed); err != nil {
		return ProfitResult{}, err
	}
	if err := op.Money(kpi, "cost per lead", in.CostPerLead, false); err != nil {
		return ProfitResult{}, err
	}
	if err := op.Money(kpi, "fixed costs", fixed, false); err != nil {
		return ProfitResult{}, err
	}
	switch {
	case in.RevenuePerCustomer.Amount == 0:
		return ProfitResult{}, fmt.Errorf("plan: %s: %w: revenue per customer is zero", kpi, errDivZero)
	case in.RevenuePerCustomer.Amount < 0:
		return ProfitResult{}, fmt.Errorf("plan: %s: %w: revenue per customer %v is negative", kpi, errNegative, in.RevenuePerCustomer)
	}
	if err := op.Fraction(kpi, "gross margin", in.GrossMargin, true); err != nil {
		return ProfitResult{}, err
	}
	for _, r := range []struct {
		n string
		v float64
	}{{"visit-to-lead rate", in.VisitToLead}, {"lead-to-customer rate", in.LeadToCustomer}} {
		if err := op.Fraction(kpi, r.n, r.v, false); err != nil {
			return ProfitResult{}, err
		}
	}
	customers := new(big.Rat).SetFrac64(in.RevenueGoal.Amount, in.RevenuePerCustomer.Amount)
	cf, _ := customers.Float64()
	var fo []FunnelOption
	if c.count != nil {
		fo = append(fo, WithCountRounding(*c.count))
	}
	vols, err := ReverseFunnel("visits", cf, []Step{{"leads", in.VisitToLead}, {"customers", in.LeadToCustomer}}, fo...)
	if err != nil {
		return ProfitResult{}, fmt.Errorf("plan: %s: %w", kpi, unprefixed{err})
	}
	p := ProfitResult{Name: in.Name, Variant: kpiRoundingName(c.count), Rounding: c.rounding.String(),
		Visits: vols[0].Count, Leads: vols[1].Count, Customers: vols[2].Count, FixedCosts: fixed, RoundedCounts: []string{}}
	// Exact money: the rational counts when no rounding applies.
	custR := customers
	leadsR := new(big.Rat).Quo(custR, ratFloat(in.LeadToCustomer))
	if c.count != nil {
		custR, leadsR = ratFloat(p.Customers), ratFloat(p.Leads)
		p.RoundedCounts = append(p.RoundedCounts, "customers", "leads", "visits", "budget", "budget_per_customer", "customer_revenue")
	}
	custRev := new(big.Rat).Mul(custR, ratInt(in.RevenuePerCustomer.Amount))
	revR := ratInt(in.RevenueGoal.Amount)
	if c.onRounded {
		revR = custRev
		if c.count != nil {
			p.RoundedCounts = append(p.RoundedCounts, "revenue", "gross_profit", "profit", "profit_margin", "roi")
		}
	}
	amt := func(q *big.Rat, what string) (money.Money, error) {
		v, err := c.rounding.Round(q)
		if err != nil {
			return money.Money{}, fmt.Errorf("plan: %s: %s: %w", kpi, what, err)
		}
		return money.Money{Amount: v, Currency: cur}, nil
	}
	budgetR := new(big.Rat).Mul(leadsR, ratInt(in.CostPerLead.Amount))
	gpR := new(big.Rat).Mul(revR, ratFloat(in.GrossMargin))
	if p.Revenue, err = amt(revR, "revenue"); err != nil {
		return ProfitResult{}, err
	}
	if p.CustomerRevenue, err = amt(custRev, "customer revenue"); err != nil {
		return ProfitResult{}, err
	}
	if p.Budget, err = amt(budgetR, "budget"); err != nil {
		return ProfitResult{}, err
	}
	if p.GrossProfit, err = amt(gpR, "gross profit"); err != nil {
		return ProfitResult{}, err
	}
	if p.Profit, err = money.Sum(cur, p.GrossProfit, money.Money{Amount: -p.Budget.Amount, Currency: cur}, money.Money{Amount: -fixed.Amount, Currency: cur}); err != nil {
		return ProfitResult{}, fmt.Errorf("plan: %s: profit: %w", kpi, err)
	}
	// Ratios from the exact values.
	profitR := new(big.Rat).Sub(gpR, budgetR)
	profitR.Sub(profitR, ratInt(fixed.Amount))
	if revR.Sign() != 0 {
		m, err := ratMetric("profit_margin", revenue.Variant("profit_over_revenue"), "(gross profit − budget − fixed costs) / revenue", profitR, revR)
		if err != nil {
			return ProfitResult{}, err
		}
		p.ProfitMargin = &m
	}
	if custR.Sign() != 0 {
		bpc, err := metric.Money(op, "budget_per_customer", "budget_over_customers", "budget / customers", budgetR, custR, cur, c.rounding)
		if err != nil {
			return ProfitResult{}, err
		}
		p.BudgetPerCustomer = &bpc
	}
	if budgetR.Sign() != 0 {
		roi, err := ratMetric("roi", revenue.ROIGrossProfit, "(gross profit − budget) / budget", new(big.Rat).Sub(gpR, budgetR), budgetR)
		if err != nil {
			return ProfitResult{}, err
		}
		p.ROI = &roi
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

// unprefixed is an error of this package wrapped in a message that names
// the package already: its text drops the "plan: " prefix, errors.Is and
// errors.As still see it.
type unprefixed struct{ err error }

func (e unprefixed) Error() string { return strings.TrimPrefix(e.err.Error(), "plan: ") }
func (e unprefixed) Unwrap() error { return e.err }

// ratMetric builds a Metric from exact rationals.
func ratMetric(name string, v revenue.Variant, formula string, num, den *big.Rat) (revenue.Metric, error) {
	n, _ := num.Float64()
	d, _ := den.Float64()
	return metric.New(op, name, v, formula, n, d)
}
