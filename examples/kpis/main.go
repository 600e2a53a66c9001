// Command kpis prints a month's revenue-marketing dashboard from the CSV
// files it ships in data/: subscription events, deals, spend, leads and
// email sends.
//
//	go run ./examples/kpis                 # March 2024
//	go run ./examples/kpis -month 2024-02
//
// Every figure names the definition it used; a figure whose denominator is
// zero prints "n/a" with the reason instead of a misleading 0.
package main

import (
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue/mrr"
	"github.com/revengine/revengine/revenue/plan"

	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/revengine/revengine/revenue"
)

//go:embed data/*.csv
var data embed.FS

const (
	cur         = money.Currency("USD")
	grossMargin = 0.8 // of subscription revenue, for payback and LTV
)

func main() {
	month := flag.String("month", "2024-03", "month of the dashboard, YYYY-MM")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *month); err != nil {
		fmt.Fprintln(os.Stderr, "kpis:", err)
		os.Exit(1)
	}
}

// inputs are the shipped records.
type inputs struct {
	events []mrr.Event
	deals  []revenue.Deal
	spend  []revenue.Spend
	leads  []revenue.Prospect
	email  map[string]revenue.EmailStats // by month, "2024-03"
}

func load(ctx context.Context) (*inputs, error) {
	open := func(name string) (io.Reader, error) {
		b, err := data.ReadFile("data/" + name)
		return bytes.NewReader(b), err
	}
	var in inputs
	r, err := open("events.csv")
	if err == nil {
		in.events, err = mrr.ReadEvents(ctx, r, "events.csv", revenue.WithCurrency(cur))
	}
	if err != nil {
		return nil, err
	}
	if r, err = open("deals.csv"); err == nil {
		in.deals, err = revenue.ReadDeals(ctx, r, "deals.csv", revenue.WithCurrency(cur))
	}
	if err != nil {
		return nil, err
	}
	if r, err = open("spend.csv"); err == nil {
		in.spend, err = revenue.ReadSpend(ctx, r, "spend.csv", revenue.WithCurrency(cur))
	}
	if err != nil {
		return nil, err
	}
	if r, err = open("leads.csv"); err == nil {
		in.leads, err = revenue.ReadProspects(ctx, r, "leads.csv")
	}
	if err != nil {
		return nil, err
	}
	if r, err = open("email.csv"); err == nil {
		in.email, err = readEmail(r)
	}
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// readEmail sums the sends of email.csv by month. The revenue package has
// no reader for it: email tools export many shapes, so the program maps
// its own columns onto revenue.EmailStats.
func readEmail(r io.Reader) (map[string]revenue.EmailStats, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("email.csv: %w", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("email.csv: empty")
	}
	out := map[string]revenue.EmailStats{}
	for i, row := range rows[1:] { // skip the header
		if len(row) != 8 {
			return nil, fmt.Errorf("email.csv:%d: want 8 fields, have %d", i+2, len(row))
		}
		var n [6]int64
		for k := range n {
			if n[k], err = strconv.ParseInt(row[2+k], 10, 64); err != nil {
				return nil, fmt.Errorf("email.csv:%d:%d: %q is not a count", i+2, 3+k, row[2+k])
			}
		}
		s := out[row[1]]
		s.Sent += n[0]
		s.Delivered += n[1]
		s.Bounced += n[2]
		s.Opens += n[3]
		s.Clicks += n[4]
		s.Unsubscribes += n[5]
		out[row[1]] = s
	}
	return out, nil
}

// dash prints aligned lines and turns errors into "n/a (reason)".
type dash struct{ w io.Writer }

func (d dash) section(title string) {
	fmt.Fprintf(d.w, "\n%s\n%s\n", title, strings.Repeat("-", len(title)))
}

func (d dash) line(label, value string, variant revenue.Variant) {
	if variant != "" {
		value += "  [" + string(variant) + "]"
	}
	fmt.Fprintf(d.w, "  %-28s %s\n", label, value)
}

func (d dash) metric(label string, m revenue.Metric, err error, format string) {
	if err != nil {
		d.line(label, "n/a ("+reason(err)+")", "")
		return
	}
	d.line(label, fmt.Sprintf(format, m.Value), m.Variant)
}

func (d dash) money(label string, m revenue.MoneyMetric, err error) {
	if err != nil {
		d.line(label, "n/a ("+reason(err)+")", "")
		return
	}
	d.line(label, m.Value.String(), m.Variant)
}

func reason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

func run(ctx context.Context, w io.Writer, monthArg string) error {
	// The module's one period grammar; the dashboard wants a month.
	month, err := revenue.ParsePeriod(monthArg)
	if err != nil || len(month.Months()) != 1 || month.Months()[0] != month {
		return fmt.Errorf("-month %q: want YYYY-MM", monthArg)
	}
	in, err := load(ctx)
	if err != nil {
		return err
	}
	d := dash{w}
	fmt.Fprintf(w, "Revenue-marketing dashboard, %s (%s)\n", month, cur)

	// Subscription revenue: the MRR bridge, both classifications.
	bridges := map[mrr.Method]mrr.Month{}
	for _, m := range []mrr.Method{mrr.MethodEvent, mrr.MethodNet} {
		b, err := mrr.NewBridge(ctx, in.events, m, cur)
		if err != nil {
			return err
		}
		for _, bm := range b.Months {
			if bm.Period == month {
				bridges[m] = bm
			}
		}
	}
	net, ok := bridges[mrr.MethodNet]
	if !ok {
		return fmt.Errorf("no subscription events cover %s", month)
	}
	ev := bridges[mrr.MethodEvent]
	d.section("MRR bridge (event | net)")
	for _, r := range []struct {
		label string
		a, b  money.Money
	}{
		{"starting MRR", ev.StartingMRR, net.StartingMRR},
		{"+ new", ev.New, net.New},
		{"+ expansion", ev.Expansion, net.Expansion},
		{"+ reactivation", ev.Reactivation, net.Reactivation},
		{"− contraction", ev.Contraction, net.Contraction},
		{"− churn", ev.Churn, net.Churn},
		{"= ending MRR", ev.EndingMRR, net.EndingMRR},
	} {
		d.line(r.label, fmt.Sprintf("%12s | %12s", r.a, r.b), "")
	}
	for _, mv := range ev.Movements {
		fmt.Fprintf(w, "    event: %-12s %-9s %s (lines %v)\n", mv.Kind, mv.CustomerID, mv.Amount, mv.Lines)
	}

	d.section("Retention (net classification)")
	m, err := mrr.NRR(net)
	d.metric("net revenue retention", m, err, "%.3f")
	m, err = mrr.GRR(net)
	d.metric("gross revenue retention", m, err, "%.3f")
	m, err = mrr.Churn(net)
	d.metric("MRR churn", m, err, "%.4f")
	m, err = mrr.Churn(net, mrr.ChurnNet)
	d.metric("MRR churn", m, err, "%.4f")
	m, err = mrr.QuickRatio(ev)
	d.metric("quick ratio (event)", m, err, "%.2f")
	m, err = mrr.QuickRatio(ev, mrr.QuickRatioWithReactivation)
	d.metric("quick ratio (event)", m, err, "%.2f")
	newCustomers := int64(len(net.MovementsOf(mrr.MovementNew)))
	lost := int64(len(net.MovementsOf(mrr.MovementChurn)))
	churn, churnErr := mrr.CustomerChurn(int64(net.CustomersStart), lost, newCustomers)
	d.metric("customer churn", churn, churnErr, "%.4f")
	m, err = mrr.CustomerRetention(int64(net.CustomersStart), int64(net.CustomersEnd), newCustomers+int64(len(net.MovementsOf(mrr.MovementReactivation))))
	d.metric("customer retention", m, err, "%.4f")

	d.section("Acquisition")
	mkt, err := revenue.TotalSpend(in.spend, month, revenue.SpendMarketing, cur)
	if err != nil {
		return err
	}
	sales, err := revenue.TotalSpend(in.spend, month, revenue.SpendSales, cur)
	if err != nil {
		return err
	}
	d.line("marketing spend", mkt.String(), "")
	d.line("sales spend", sales.String(), "")
	funnel, err := revenue.Conversions(ctx, in.leads, month, revenue.FunnelPeriod, nil)
	if err != nil {
		return err
	}
	leads := funnel.Total.Stages[0].Count
	d.line("new leads", fmt.Sprint(leads), "")
	d.line("new customers (net)", fmt.Sprint(newCustomers), "")
	cpl, err := revenue.CostPerLead(mkt, leads)
	d.money("cost per lead", cpl, err)
	cac, cacErr := revenue.CAC(mkt, sales, newCustomers)
	d.money("CAC", cac, cacErr)
	mc, err := revenue.CAC(mkt, sales, newCustomers, revenue.CACMarketingOnly)
	d.money("CAC", mc, err)
	arpa, arpaErr := revenue.ARPA(net.EndingMRR, int64(net.CustomersEnd))
	d.money("ARPA", arpa, arpaErr)
	if cacErr == nil && arpaErr == nil {
		m, err = revenue.CACPayback(cac.Value, arpa.Value, grossMargin)
		d.metric("CAC payback (months)", m, err, "%.1f")
	}
	if arpaErr == nil && churnErr == nil {
		ltv, err := revenue.LTV(arpa.Value, churn.Value, revenue.WithGrossMargin(grossMargin))
		d.money("LTV", ltv.MoneyMetric, err)
		if err == nil {
			d.line("expected lifetime (months)", fmt.Sprintf("%.1f", ltv.LifetimePeriods), "1 / churn")
		}
		if err == nil && cacErr == nil {
			m, err = revenue.LTVToCAC(ltv.Value, cac.Value)
			d.metric("LTV:CAC", m, err, "%.1f")
		}
	} else if churnErr != nil {
		d.line("LTV", "n/a (no churn this month: "+reason(churnErr)+")", "")
	}

	d.section("Email")
	er, err := revenue.EmailEngagement(in.email[month.String()])
	if err != nil {
		d.line("engagement", "n/a ("+reason(err)+")", "")
	} else {
		d.metric("open rate", er.Open, nil, "%.3f")
		d.metric("click-through rate", er.ClickThrough, nil, "%.3f")
		if er.ClickToOpen != nil {
			d.metric("click-to-open rate", *er.ClickToOpen, nil, "%.3f")
		}
		d.metric("unsubscribe rate", er.Unsubscribe, nil, "%.4f")
		d.metric("bounce rate", er.Bounce, nil, "%.4f")
		d.metric("delivery rate", er.Delivery, nil, "%.4f")
	}

	d.section("Pipeline")
	closed := revenue.ClosedIn(in.deals, month)
	contrib, err := revenue.MarketingRevenue(closed, cur)
	if err == nil {
		d.line("won revenue", contrib.Won.String(), "")
		d.line("marketing-sourced", contrib.Sourced.String()+" ("+pct(contrib.SourcedShare.Value)+")", contrib.SourcedShare.Variant)
		d.line("marketing-influenced", contrib.Influenced.String()+" ("+pct(contrib.InfluencedShare.Value)+")", contrib.InfluencedShare.Variant)
		m, err = revenue.ROI(contrib.Sourced, mkt, revenue.WithGrossMargin(grossMargin))
		d.metric("marketing ROI (sourced)", m, err, "%.2f")
	} else {
		d.line("won revenue", "n/a ("+reason(err)+")", "")
	}
	wr, wrErr := revenue.WinRate(closed)
	d.metric("win rate", wr, wrErr, "%.3f")
	m, err = revenue.WinRate(revenue.CreatedIn(in.deals, month), revenue.WinRateAll)
	d.metric("win rate, deals created", m, err, "%.3f")
	avg, avgErr := revenue.AverageDealSize(closed, cur)
	d.money("average deal size", avg, avgErr)
	cycle, cycErr := revenue.SalesCycleLength(closed)
	if cycErr == nil {
		d.line("sales cycle (days)", fmt.Sprintf("mean %.1f, median %.1f", cycle.MeanDays, cycle.MedianDays), cycle.Variant)
	}
	var open []revenue.Deal
	var openAmount int64
	for _, dl := range in.deals {
		if dl.Status == revenue.DealOpen && dl.Created.Before(month.End) {
			open = append(open, dl)
			openAmount += dl.Amount.Amount
		}
	}
	if wrErr == nil && avgErr == nil && cycErr == nil {
		v, err := revenue.PipelineVelocity(int64(len(open)), wr.Value, avg.Value, time.Duration(cycle.MeanDays*float64(24*time.Hour)),
			revenue.WithPeriod(30*24*time.Hour))
		d.money("pipeline velocity (per day)", v.MoneyMetric, err)
		if err == nil {
			d.line("expected in 30 days", v.ExpectedRevenue.String(), "velocity × 30")
		}
	}
	quota := money.New(3_000_000, cur)
	var covOpts []revenue.CoverageOption
	if wrErr == nil {
		covOpts = append(covOpts, revenue.WithExpectedWinRate(wr.Value))
	}
	cov, err := revenue.PipelineCoverage(money.New(openAmount, cur), quota, money.Zero(cur), covOpts...)
	m = cov.Metric
	d.metric("pipeline coverage", m, err, "%.2fx")
	if err == nil && cov.ExpectedBookings != nil {
		d.line("expected bookings", fmt.Sprintf("%v (%s of the remaining quota)", *cov.ExpectedBookings, pct(cov.ExpectedAttainment.Value)), "pipeline × win rate")
	}
	if wrErr == nil {
		m, err = revenue.RequiredCoverage(wr.Value)
		d.metric("coverage needed", m, err, "%.2fx")
	}

	d.section("Funnel by channel (period view, pooled total)")
	for _, f := range append(funnel.ByChannel, funnel.Total) {
		name := f.Channel
		if name == "" {
			name = "all (pooled)"
		}
		var parts []string
		for _, s := range f.Stages {
			parts = append(parts, fmt.Sprintf("%s %d", s.Stage, s.Count))
		}
		c := f.Conversions[0]
		rate := "n/a"
		if c.Rate != nil {
			rate = pct(c.Rate.Value)
		}
		fmt.Fprintf(w, "  %-14s %s; lead→mql %s\n", name, strings.Join(parts, ", "), rate)
	}

	// A new customer is worth twelve months of today's ARPA in its first year.
	d.section("Plan: USD 30,000.00 of first-year revenue from new customers")
	perCustomer, err := arpaOr(arpa, arpaErr).MulFrac(12, 1, money.HalfEven)
	if err != nil {
		return err
	}
	pp, err := plan.Profit(plan.ProfitInput{Name: "next month", RevenueGoal: money.New(3_000_000, cur),
		RevenuePerCustomer: perCustomer, VisitToLead: 0.02, LeadToCustomer: 0.08,
		CostPerLead: cplOr(cpl), GrossMargin: grossMargin}, plan.WithCountRounding(money.Up))
	if err != nil {
		d.line("plan", "n/a ("+reason(err)+")", "")
	} else {
		d.line("customers / leads / visits", fmt.Sprintf("%g / %g / %g", pp.Customers, pp.Leads, pp.Visits), revenue.Variant(pp.Variant))
		d.line("budget / profit", pp.Budget.String()+" / "+pp.Profit.String(), "")
		if pp.ProfitMargin != nil && pp.BudgetPerCustomer != nil {
			d.line("profit margin / per customer", pct(pp.ProfitMargin.Value)+" / "+pp.BudgetPerCustomer.Value.String(), "")
		}
		d.line("from rounded counts", strings.Join(pp.RoundedCounts, ", "), "")
	}
	return nil
}

func arpaOr(a revenue.MoneyMetric, err error) money.Money {
	if err != nil {
		return money.New(1, cur)
	}
	return a.Value
}

func cplOr(c revenue.MoneyMetric) money.Money {
	if c.Value.Currency == "" {
		return money.Zero(cur)
	}
	return c.Value
}
