package revenue

import (
	"math/big"

	"github.com/revengine/revengine/money"
)

// CACVariant selects a definition of CAC; it is an option of CAC only.
type CACVariant string

// The CAC variants.
const (
	// CACFullyLoaded is (marketing + sales cost) / new customers, the default.
	CACFullyLoaded CACVariant = "fully_loaded"
	// CACMarketingOnly is marketing cost / new customers.
	CACMarketingOnly CACVariant = "marketing_only"
)

// Names of the cost-per-lead and payback definitions.
const (
	// CostPerLeadVariant names spend / leads.
	CostPerLeadVariant Variant = "spend_over_leads"
	// PaybackGrossMargin names CAC / (ARPA × gross margin).
	PaybackGrossMargin Variant = "gross_margin"
)

// CostPerLead returns spend / leads, rounded to minor units with
// WithRounding (default HalfEven); Exact keeps the quotient. HubSpot and
// Salesforce define cost per lead this way over the same period.
// Errors: leads zero (ErrDivisionByZero) or negative, spend negative.
func CostPerLead(spend money.Money, leads int64, opts ...MoneyOption) (MoneyMetric, error) {
	c, err := newConfig("cost per lead", func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyMoney(c)
			}
		}
	}, CostPerLeadVariant)
	if err != nil {
		return MoneyMetric{}, err
	}
	if err := op.Money("cost per lead", "spend", spend, false); err != nil {
		return MoneyMetric{}, err
	}
	if err := op.Count("cost per lead", "leads", leads); err != nil {
		return MoneyMetric{}, err
	}
	return moneyQuotient("cost_per_lead", CostPerLeadVariant, "spend / leads",
		ratInt(spend.Amount), ratInt(leads), spend.Currency, c.rounding)
}

// CAC returns customer acquisition cost:
//
//	CAC = (marketing cost + sales cost) / new customers      (fully_loaded, default)
//	CAC = marketing cost / new customers                     (CACMarketingOnly)
//
// over the same period (HubSpot's and David Skok's "fully loaded" CAC;
// the marketing-only variant is Salesforce's marketing CAC). The amount is
// rounded to minor units with WithRounding (default HalfEven).
// Errors: new customers zero (ErrDivisionByZero) or negative, negative
// cost, currencies that differ.
func CAC(marketing, sales money.Money, newCustomers int64, opts ...CACOption) (MoneyMetric, error) {
	c, err := newConfig("cac", func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyCAC(c)
			}
		}
	}, Variant(CACFullyLoaded), Variant(CACFullyLoaded), Variant(CACMarketingOnly))
	if err != nil {
		return MoneyMetric{}, err
	}
	if err := op.Money("cac", "marketing cost", marketing, false); err != nil {
		return MoneyMetric{}, err
	}
	if err := op.Money("cac", "sales cost", sales, false); err != nil {
		return MoneyMetric{}, err
	}
	// Every money input is checked, used or not: a sales cost in another
	// currency is an error under the marketing-only variant too.
	if err := op.Same("cac", marketing.Currency, sales); err != nil {
		return MoneyMetric{}, err
	}
	if err := op.Count("cac", "new customers", newCustomers); err != nil {
		return MoneyMetric{}, err
	}
	cost, formula := ratInt(marketing.Amount), "marketing cost / new customers"
	if c.variant == Variant(CACFullyLoaded) {
		// Exact: the sum of two int64 costs may leave int64 while the
		// quotient fits; only a CAC that does not fit is ErrOverflow.
		cost.Add(cost, ratInt(sales.Amount))
		formula = "(marketing cost + sales cost) / new customers"
	}
	return moneyQuotient("cac", c.variant, formula, cost, ratInt(newCustomers), marketing.Currency, c.rounding)
}

// CACPayback returns the months needed to earn back CAC from gross profit:
//
//	payback months = CAC / (ARPA × gross margin)
//
// with ARPA the monthly average revenue per account (the SaaS payback of
// David Skok, "SaaS Metrics 2.0", and KeyBanc's survey). Value is
// fractional months.
// Errors: margin outside [0, 1]; ARPA or margin zero (ErrDivisionByZero);
// negative amounts; currencies that differ.
func CACPayback(cac, arpa money.Money, grossMargin float64) (Metric, error) {
	if err := op.Money("cac payback", "cac", cac, false); err != nil {
		return Metric{}, err
	}
	if err := op.Money("cac payback", "arpa", arpa, false); err != nil {
		return Metric{}, err
	}
	if err := op.Same("cac payback", cac.Currency, arpa); err != nil {
		return Metric{}, err
	}
	if err := op.Fraction("cac payback", "gross margin", grossMargin, true); err != nil {
		return Metric{}, err
	}
	den, _ := new(big.Rat).Mul(ratInt(arpa.Amount), ratFloat(grossMargin)).Float64()
	return newMetric("cac_payback_months", PaybackGrossMargin, "cac / (arpa × gross margin)", float64(cac.Amount), den)
}
