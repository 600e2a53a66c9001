package mrr

import (
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/metric"

	"context"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/revengine/revengine/money"
)

// Retention and churn variants.
const (
	// RetentionKotler names customer retention (E − N) / S.
	RetentionKotler revenue.Variant = "end_minus_new_over_start"
	// CohortStart names rates over the MRR of the customers paying at the start.
	CohortStart revenue.Variant = "starting_cohort"
	// PeriodOverPeriod names a growth rate (x(t) − x(t−1)) / x(t−1).
	PeriodOverPeriod revenue.Variant = "period_over_period"
	// LogoRetention names retained customers / customers at the start.
	LogoRetention revenue.Variant = "retained_over_start"
)

// QuickRatioVariant selects the definition of QuickRatio; it is an option
// of QuickRatio only.
type QuickRatioVariant string

// The quick ratio variants.
const (
	// QuickRatioHamid is Mamoon Hamid's quick ratio, (new + expansion) /
	// (churn + contraction): the default.
	QuickRatioHamid QuickRatioVariant = "mamoon_hamid"
	// QuickRatioWithReactivation counts reactivated MRR as growth, (new +
	// expansion + reactivation) / (churn + contraction), as ChartMogul and
	// Baremetrics report it.
	QuickRatioWithReactivation QuickRatioVariant = "with_reactivation"
)

// CustomerRetention returns the customer retention rate
//
//	CRR = (E − N) / S
//
// with S customers at the start of the period, E at the end and N new
// customers acquired during it (the standard CRR of Kotler-school
// marketing texts and HubSpot). Numerator and Denominator are counts.
// Errors: a negative count, N above E (ErrInvalidInput), S zero
// (ErrDivisionByZero).
func CustomerRetention(start, end, newCustomers int64) (revenue.Metric, error) {
	const kpi = "customer retention"
	for _, c := range []struct {
		n string
		v int64
	}{{"start", start}, {"end", end}, {"new", newCustomers}} {
		if err := op.Count(kpi, c.n+" customers", c.v); err != nil {
			return revenue.Metric{}, err
		}
	}
	if newCustomers > end {
		return revenue.Metric{}, fmt.Errorf("mrr: %s: %w: %d new customers but only %d at the end", kpi, errInvalid, newCustomers, end)
	}
	if end-newCustomers > start {
		return revenue.Metric{}, fmt.Errorf("mrr: %s: %w: %d retained customers exceed %d at the start", kpi, errInvalid, end-newCustomers, start)
	}
	return metric.New(op, "customer_retention", RetentionKotler, "(end − new) / start", float64(end-newCustomers), float64(start))
}

// CustomerChurn returns the customer churn rate over a period:
//
//	churn = lost / start               (default: start-of-period denominator)
//	churn = lost / (start + new)       (CustomerChurnStartPlusNew)
//
// The first is the definition of ChartMogul, Baremetrics and most SaaS
// texts; the second counts customers acquired in the period as exposed to
// churn. newCustomers is only read by the second.
// Errors: negative counts; lost above the denominator (ErrInvalidInput);
// a zero denominator (ErrDivisionByZero).
func CustomerChurn(start, lost, newCustomers int64, v ...CustomerChurnVariant) (revenue.Metric, error) {
	const kpi = "customer churn"
	var err error
	c, err := variant(kpi, CustomerChurnStart, v, CustomerChurnStart, CustomerChurnStartPlusNew)
	if err != nil {
		return revenue.Metric{}, err
	}
	for _, x := range []struct {
		n string
		v int64
	}{{"start customers", start}, {"lost customers", lost}, {"new customers", newCustomers}} {
		if err := op.Count(kpi, x.n, x.v); err != nil {
			return revenue.Metric{}, err
		}
	}
	den, formula := start, "lost / start"
	if c == CustomerChurnStartPlusNew {
		if den, err = add64(start, newCustomers); err != nil {
			return revenue.Metric{}, fmt.Errorf("mrr: %s: %w", kpi, err)
		}
		formula = "lost / (start + new)"
	}
	if lost > den && den > 0 {
		return revenue.Metric{}, fmt.Errorf("mrr: %s: %w: %d lost of %d", kpi, errInvalid, lost, den)
	}
	return metric.New(op, "customer_churn", revenue.Variant(c), formula, float64(lost), float64(den))
}

// checkMovements validates the amounts of a bridge month for the MRR rates.
func checkMovements(kpi string, m Month) error {
	cur := m.StartingMRR.Currency
	if err := cur.Validate(); err != nil {
		return fmt.Errorf("mrr: %s: %w", kpi, err)
	}
	for _, a := range []money.Money{m.New, m.Expansion, m.Contraction, m.Churn, m.Reactivation} {
		if err := op.Same(kpi, cur, a); err != nil {
			return err
		}
		if a.Amount < 0 {
			return fmt.Errorf("mrr: %s: %w: negative movement %v", kpi, kpiNegative, a)
		}
	}
	if m.StartingMRR.Amount < 0 {
		return fmt.Errorf("mrr: %s: %w: negative starting MRR", kpi, kpiNegative)
	}
	return nil
}

func ratSum(ms ...money.Money) *big.Rat {
	s := new(big.Int)
	for _, m := range ms {
		s.Add(s, big.NewInt(m.Amount))
	}
	return new(big.Rat).SetInt(s)
}

func ratMetric(kpi string, v revenue.Variant, formula string, num, den *big.Rat) (revenue.Metric, error) {
	n, _ := num.Float64()
	d, _ := den.Float64()
	return metric.New(op, kpi, v, formula, n, d)
}

// Churn returns MRR churn over one month of the bridge (ChartMogul,
// Baremetrics):
//
//	gross MRR churn = (churn + contraction) / starting MRR              (default)
//	net MRR churn   = (churn + contraction − expansion) / starting MRR  (ChurnNet)
//	net MRR churn   = (churn + contraction − expansion − reactivation) / starting MRR
//	                                                      (ChurnNetReactivation)
//
// Net MRR churn is negative when expansion outgrows losses ("net negative
// churn"). The ChurnNet form (Baremetrics, David Skok) counts reactivation
// with new business; ChartMogul's net MRR churn rate also subtracts it.
// Errors: starting MRR zero (ErrDivisionByZero); negative amounts;
// currencies that differ.
func Churn(m Month, v ...ChurnVariant) (revenue.Metric, error) {
	const kpi = "churn"
	c, err := variant(kpi, ChurnGross, v, ChurnGross, ChurnNet, ChurnNetReactivation)
	if err != nil {
		return revenue.Metric{}, err
	}
	if err := checkMovements(kpi, m); err != nil {
		return revenue.Metric{}, err
	}
	num := ratSum(m.Churn, m.Contraction)
	switch c {
	case ChurnNet:
		num.Sub(num, ratSum(m.Expansion))
		return ratMetric("mrr_churn", revenue.Variant(ChurnNet), "(churn + contraction − expansion) / starting mrr", num, ratSum(m.StartingMRR))
	case ChurnNetReactivation:
		num.Sub(num, ratSum(m.Expansion, m.Reactivation))
		return ratMetric("mrr_churn", revenue.Variant(ChurnNetReactivation), "(churn + contraction − expansion − reactivation) / starting mrr", num, ratSum(m.StartingMRR))
	}
	return ratMetric("mrr_churn", revenue.Variant(ChurnGross), "(churn + contraction) / starting mrr", num, ratSum(m.StartingMRR))
}

// cohortMoves is the net change of each customer paying at the start of a
// bridge month, start versus end: Σ rises (expansion), Σ falls to a
// positive MRR (contraction) and Σ starting MRR of those at zero at the
// end (churn).
type cohortMoves struct{ expansion, contraction, churn *big.Int }

// netCohort classifies the month's movements net per customer, whatever
// the bridge's method: a customer's MRR at the start is the From of its
// first movement, at the end the To of its last (movements of a month are
// in date order), and only customers paying at the start count. With
// MethodNet this is the month's own expansion, contraction and churn; with
// MethodEvent a starting customer who churns and comes back within the
// month is the net change from its starting to its ending MRR, not a
// churn. A month without movements (built by hand from its totals) is
// read from its totals. The movements must add up to the month's totals
// (ErrInconsistentInput otherwise).
func netCohort(kpi string, m Month) (cohortMoves, error) {
	c := cohortMoves{new(big.Int), new(big.Int), new(big.Int)}
	if len(m.Movements) == 0 {
		c.expansion.SetInt64(m.Expansion.Amount)
		c.contraction.SetInt64(m.Contraction.Amount)
		c.churn.SetInt64(m.Churn.Amount)
		return c, nil
	}
	type span struct{ from, to int64 }
	spans := map[string]*span{}
	var order []string
	tot := map[MovementKind]*big.Int{}
	for _, k := range []MovementKind{MovementNew, MovementExpansion, MovementContraction, MovementChurn, MovementReactivation} {
		tot[k] = new(big.Int)
	}
	for i, mv := range m.Movements {
		t, ok := tot[mv.Kind]
		if !ok {
			return c, fmt.Errorf("mrr: %s: movement %d: %w: unknown kind %q", kpi, i+1, errInvalid, mv.Kind)
		}
		for _, a := range []money.Money{mv.From, mv.To, mv.Amount} {
			if err := op.Same(kpi, m.StartingMRR.Currency, a); err != nil {
				return c, err
			}
			if a.Amount < 0 {
				return c, fmt.Errorf("mrr: %s: movement %d: %w: %v", kpi, i+1, kpiNegative, a)
			}
		}
		t.Add(t, big.NewInt(mv.Amount.Amount))
		sp := spans[mv.CustomerID]
		if sp == nil {
			sp = &span{from: mv.From.Amount}
			spans[mv.CustomerID] = sp
			order = append(order, mv.CustomerID)
		}
		sp.to = mv.To.Amount
	}
	for k, want := range map[MovementKind]money.Money{MovementNew: m.New, MovementExpansion: m.Expansion,
		MovementContraction: m.Contraction, MovementChurn: m.Churn, MovementReactivation: m.Reactivation} {
		if tot[k].Cmp(big.NewInt(want.Amount)) != 0 {
			return c, fmt.Errorf("mrr: %s: %s: %w: the movements add up to %v, the month says %v", kpi, k, kpiInconsistent, tot[k], want)
		}
	}
	for _, id := range order {
		sp := spans[id]
		switch {
		case sp.from == 0:
			// joined during the month: not in the starting cohort
		case sp.to == 0:
			c.churn.Add(c.churn, big.NewInt(sp.from))
		case sp.to > sp.from:
			c.expansion.Add(c.expansion, big.NewInt(sp.to-sp.from))
		case sp.to < sp.from:
			c.contraction.Add(c.contraction, big.NewInt(sp.from-sp.to))
		}
	}
	return c, nil
}

// NRR returns net revenue retention over one month of the bridge, from the
// customers paying at the month's start (KeyBanc, ChartMogul, Baremetrics):
//
//	NRR = (starting MRR + expansion − contraction − churn) / starting MRR
//
// with expansion, contraction and churn the net change of each starting
// customer from its MRR at the start to its MRR at the end (new and
// reactivated customers are left out). The classification is net per
// customer whatever bridge is passed: on a MethodEvent month a customer
// who churns and comes back within the month counts with its net change,
// not as a churn, so NRR is the same on the event and on the net bridge
// of the same log. Numerator and Denominator are minor units.
// Errors: starting MRR zero (ErrZeroDenominator); negative amounts;
// movements that do not add up to the month's totals
// (ErrInconsistentInput); currencies that differ.
func NRR(m Month) (revenue.Metric, error) {
	if err := checkMovements("nrr", m); err != nil {
		return revenue.Metric{}, err
	}
	c, err := netCohort("nrr", m)
	if err != nil {
		return revenue.Metric{}, err
	}
	num := ratSum(m.StartingMRR)
	num.Add(num, new(big.Rat).SetInt(c.expansion))
	num.Sub(num, new(big.Rat).SetInt(new(big.Int).Add(c.contraction, c.churn)))
	return ratMetric("nrr", CohortStart, "(starting mrr + expansion − contraction − churn) / starting mrr", num, ratSum(m.StartingMRR))
}

// GRR returns gross revenue retention over one month of the bridge,
//
//	GRR = (starting MRR − contraction − churn) / starting MRR
//
// with contraction and churn classified net per customer as for NRR,
// whatever bridge is passed. Errors: as NRR.
func GRR(m Month) (revenue.Metric, error) {
	if err := checkMovements("grr", m); err != nil {
		return revenue.Metric{}, err
	}
	c, err := netCohort("grr", m)
	if err != nil {
		return revenue.Metric{}, err
	}
	num := ratSum(m.StartingMRR)
	num.Sub(num, new(big.Rat).SetInt(new(big.Int).Add(c.contraction, c.churn)))
	return ratMetric("grr", CohortStart, "(starting mrr − contraction − churn) / starting mrr", num, ratSum(m.StartingMRR))
}

// ExpansionRate returns expansion / starting MRR over one month of the bridge.
// Errors: starting MRR zero (ErrDivisionByZero); negative amounts.
func ExpansionRate(m Month) (revenue.Metric, error) {
	if err := checkMovements("expansion rate", m); err != nil {
		return revenue.Metric{}, err
	}
	return ratMetric("expansion_rate", CohortStart, "expansion / starting mrr", ratSum(m.Expansion), ratSum(m.StartingMRR))
}

// ExpansionGrowth returns the period-over-period growth of expansion MRR
// between two consecutive months of the bridge:
//
//	expansion growth = (expansion(cur) − expansion(prev)) / expansion(prev)
//
// (0.25: expansion grew by a quarter; negative when it shrank).
// Numerator and Denominator are minor units.
// Errors: no expansion in prev (ErrZeroDenominator); months that are not
// consecutive when both carry their period (ErrInconsistentInput);
// negative amounts; currencies that differ.
func ExpansionGrowth(prev, cur Month) (revenue.Metric, error) {
	const kpi = "expansion growth"
	if err := checkMovements(kpi, prev); err != nil {
		return revenue.Metric{}, err
	}
	if err := checkMovements(kpi, cur); err != nil {
		return revenue.Metric{}, err
	}
	if err := op.Same(kpi, prev.StartingMRR.Currency, cur.StartingMRR); err != nil {
		return revenue.Metric{}, err
	}
	if !prev.Period.Start.IsZero() && !cur.Period.Start.IsZero() && !prev.Period.End.Equal(cur.Period.Start) {
		return revenue.Metric{}, fmt.Errorf("mrr: %s: %w: %s does not follow %s", kpi, kpiInconsistent, cur.Period, prev.Period)
	}
	num := ratSum(cur.Expansion)
	num.Sub(num, ratSum(prev.Expansion))
	return ratMetric("expansion_growth", PeriodOverPeriod, "(expansion − previous expansion) / previous expansion", num, ratSum(prev.Expansion))
}

// QuickRatio returns the SaaS quick ratio of Mamoon Hamid (Social
// Capital, "The Quick Ratio", 2015), growth MRR over lost MRR in one month
// of the bridge:
//
//	quick ratio = (new + expansion) / (churn + contraction)                  (QuickRatioHamid, default)
//	quick ratio = (new + expansion + reactivation) / (churn + contraction)   (QuickRatioWithReactivation)
//
// Hamid's definition has no reactivation line; ChartMogul and Baremetrics
// count reactivated MRR as growth, the explicit variant. Above 4 is
// efficient growth. Numerator and Denominator are minor units.
// Errors: no contraction and no churn (ErrZeroDenominator); negative
// amounts; an unknown variant or two (ErrInvalidInput).
func QuickRatio(m Month, v ...QuickRatioVariant) (revenue.Metric, error) {
	c, err := variant("quick ratio", QuickRatioHamid, v, QuickRatioHamid, QuickRatioWithReactivation)
	if err != nil {
		return revenue.Metric{}, err
	}
	if err := checkMovements("quick ratio", m); err != nil {
		return revenue.Metric{}, err
	}
	if c == QuickRatioWithReactivation {
		return ratMetric("quick_ratio", revenue.Variant(c), "(new + expansion + reactivation) / (churn + contraction)",
			ratSum(m.New, m.Expansion, m.Reactivation), ratSum(m.Contraction, m.Churn))
	}
	return ratMetric("quick_ratio", revenue.Variant(c), "(new + expansion) / (churn + contraction)",
		ratSum(m.New, m.Expansion), ratSum(m.Contraction, m.Churn))
}

// Cohort is the MRR of the customers paying at the start of a period,
// followed to its end, and the retention rates over it.
type Cohort struct {
	Period      string         `json:"period"`
	Customers   int            `json:"customers"`    // customers with MRR > 0 at the start
	StartingMRR money.Money    `json:"starting_mrr"` // their MRR before the period's first day
	EndingMRR   money.Money    `json:"ending_mrr"`   // their MRR after the period's last day
	Expansion   money.Money    `json:"expansion"`    // Σ rises, customer by customer, start vs end
	Contraction money.Money    `json:"contraction"`  // Σ falls to a positive MRR
	Churn       money.Money    `json:"churn"`        // Σ starting MRR of those at zero at the end
	Retained    int            `json:"retained"`     // customers still paying at the end
	NRR         revenue.Metric `json:"nrr"`          // ending / starting MRR
	GRR         revenue.Metric `json:"grr"`          // (starting − contraction − churn) / starting
	// LogoRetention is the share of the cohort's customers still paying at
	// the end, Retained / Customers (logo, or customer-count, retention).
	LogoRetention revenue.Metric `json:"logo_retention"`
}

// Retention follows the customers paying before p's first day to the
// end of p and returns NRR and GRR over that starting cohort (the
// definition of KeyBanc, ChartMogul and Baremetrics): customers who join
// during p are left out, a starting customer who leaves and returns counts
// with their MRR at the end. For each cohort customer, the end-versus-start
// difference is expansion (rise), contraction (fall to a positive MRR) or
// churn (fall to zero), so
//
//	NRR = (start + expansion − contraction − churn) / start = end / start
//	GRR = (start − contraction − churn) / start
//	logo retention = retained customers / customers at the start
//
// Event semantics are those of NewBridge. Errors: no MRR at the start
// (ErrDivisionByZero), and NewBridge's errors on events.
func Retention(ctx context.Context, events []Event, p revenue.Period, cur money.Currency) (Cohort, error) {
	if err := cur.Validate(); err != nil {
		return Cohort{}, fmt.Errorf("mrr: retention: %w", err)
	}
	if err := validateEvents("retention", events, cur); err != nil {
		return Cohort{}, err
	}
	if err := ctx.Err(); err != nil {
		return Cohort{}, err
	}
	var err error
	changes := collapse(events)
	at := func(before time.Time) map[string]int64 {
		s := map[string]int64{}
		for _, c := range changes {
			if !c.date.Before(before) {
				break
			}
			s[c.customer] = c.mrr
		}
		return s
	}
	start, end := at(p.Start), at(p.End)
	ids := make([]string, 0, len(start))
	for id, v := range start {
		if v > 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var s, e, exp, con, churn int64
	co := Cohort{Period: p.String(), Customers: len(ids)}
	for _, id := range ids {
		a, z := start[id], end[id]
		if s, err = add64(s, a); err != nil {
			return Cohort{}, fmt.Errorf("mrr: retention: %w", err)
		}
		if e, err = add64(e, z); err != nil {
			return Cohort{}, fmt.Errorf("mrr: retention: %w", err)
		}
		switch {
		case z == 0:
			churn += a // ≤ s
		case z > a:
			if exp, err = add64(exp, z-a); err != nil {
				return Cohort{}, fmt.Errorf("mrr: retention: %w", err)
			}
		case z < a:
			con += a - z
		}
		if z > 0 {
			co.Retained++
		}
	}
	co.StartingMRR, co.EndingMRR = money.Money{Amount: s, Currency: cur}, money.Money{Amount: e, Currency: cur}
	co.Expansion, co.Contraction, co.Churn = money.Money{Amount: exp, Currency: cur}, money.Money{Amount: con, Currency: cur}, money.Money{Amount: churn, Currency: cur}
	if s == 0 {
		return Cohort{}, fmt.Errorf("mrr: retention: %s: %w: no MRR at the start", p, errDivZero)
	}
	if co.NRR, err = ratMetric("nrr", CohortStart, "(starting mrr + expansion − contraction − churn) / starting mrr", ratSum(co.EndingMRR), ratSum(co.StartingMRR)); err != nil {
		return Cohort{}, err
	}
	grr := ratSum(co.StartingMRR)
	grr.Sub(grr, ratSum(co.Contraction, co.Churn))
	if co.GRR, err = ratMetric("grr", CohortStart, "(starting mrr − contraction − churn) / starting mrr", grr, ratSum(co.StartingMRR)); err != nil {
		return Cohort{}, err
	}
	if co.LogoRetention, err = metric.New(op, "logo_retention", LogoRetention, "retained customers / customers at the start", float64(co.Retained), float64(co.Customers)); err != nil {
		return Cohort{}, err
	}
	return co, nil
}
