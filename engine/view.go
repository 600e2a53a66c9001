package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/mrr"
	"github.com/revengine/revengine/survey"
)

// View is the revenue-engine view: one PeriodView per period with data, in
// time order. It is the library's JSON encoding of the view.
type View struct {
	Currency    money.Currency `json:"currency"`
	Granularity Granularity    `json:"granularity"`
	Model       string         `json:"model"`
	AsOf        time.Time      `json:"as_of,omitzero"`
	Periods     []PeriodView   `json:"periods"`
	// Survey is the eNPS or pulse survey report, when one was given.
	Survey *survey.Report `json:"survey,omitempty"`
}

// PeriodView is every KPI of one period. A figure that cannot be computed
// (a zero denominator, no data) is absent (JSON null) and listed in
// Unavailable with the reason, never a NaN or a made-up zero.
type PeriodView struct {
	Period record.Period `json:"period"`
	// Funnel is the cohort funnel of the leads that entered the first stage
	// in the period: counts and conversion per stage, exits, recycled.
	Funnel revenue.FunnelReport `json:"funnel"`
	// Speed is speed-to-lead and SLA compliance of the stages entered in
	// the period, per stage, then per stage and owner, then per stage and
	// route.
	Speed []Speed `json:"speed_to_lead"`
	// Pipeline is the deals created in the period; Revenue the won deals
	// closed in it; each with what marketing sourced and influenced.
	Pipeline Contribution `json:"pipeline"`
	Revenue  Contribution `json:"revenue"`
	// Attribution is the won revenue closed in the period credited by the
	// chosen model, with returns per channel and per campaign.
	Attribution *Attribution `json:"attribution"`
	Spend       SpendTotals  `json:"spend"`
	// NewCustomers is the won deals closed in the period; CAC is blended
	// spend over them (revenue.CAC, the chosen variant).
	NewCustomers int64 `json:"new_customers"`
	// Velocity is the sales velocity of the period (revenue.PipelineVelocity):
	// opportunities created × win rate of the deals closed, won / (won +
	// lost) × average won deal (to the minor unit) / mean sales cycle of
	// the won deals in days, with
	// the expected revenue over the period's length.
	Velocity    *revenue.Velocity      `json:"pipeline_velocity"`
	CAC         *revenue.MoneyMetric   `json:"cac"`
	MRR         *MRR                   `json:"mrr"`
	LTV         *revenue.LifetimeValue `json:"ltv"`
	LTVToCAC    *revenue.Metric        `json:"ltv_to_cac"`
	Payback     *revenue.Metric        `json:"cac_payback_months"`
	Unavailable []Unavailable          `json:"unavailable,omitempty"`
}

// Unavailable says why a figure of the view is absent.
type Unavailable struct {
	KPI    string `json:"kpi"`
	Reason string `json:"reason"`
}

// SpendTotals is the period's spend by category.
type SpendTotals struct {
	Marketing money.Money `json:"marketing"`
	Sales     money.Money `json:"sales"`
}

// Contribution is a total with the share marketing sourced (the first
// touch is a marketing touch, attribution's FirstTouch over touch kinds)
// and influenced (a marketing touch on or before the date, attribution's
// Participation over touch kinds).
type Contribution struct {
	Deals           int64           `json:"deals"`
	Total           money.Money     `json:"total"`
	Sourced         money.Money     `json:"sourced"`
	Influenced      money.Money     `json:"influenced"`
	SourcedShare    *revenue.Metric `json:"sourced_share"`    // sourced / total
	InfluencedShare *revenue.Metric `json:"influenced_share"` // influenced / total
}

// Attribution is one model's credit and the returns it implies.
type Attribution struct {
	Model      string   `json:"model"`
	ByChannel  []Return `json:"by_channel"`
	ByCampaign []Return `json:"by_campaign"`
}

// Return is what one channel (or campaign) cost and earned: credited
// conversions and value from attribution, cost from spend, and
//
//	ROI  = revenue.ROI(credited value, cost, the view's ROI options)
//	ROAS = revenue.ROAS(credited value, cost)
//	CAC  = cost / credited conversions (cost per credited conversion)
//
// with the credited value the attribution result's money (allocated to the
// minor unit), so that ROI and ROAS use exactly the amount reported.
type Return struct {
	Key         string          `json:"key"`
	Cost        money.Money     `json:"cost"`
	Conversions float64         `json:"conversions"`
	Value       money.Money     `json:"value"`
	ROI         *revenue.Metric `json:"roi"`
	ROAS        *revenue.Metric `json:"roas"`
	CAC         *Cost           `json:"cac"`
}

// Cost is an amount per fractional count: Value is Exact rounded half to
// even.
type Cost struct {
	Value money.Money `json:"value"`
	Exact float64     `json:"exact_minor"`
}

// MRR is the period's MRR bridge (the months of mrr.NewBridge, summed) and
// retention of the customers paying at its start (mrr.Retention).
type MRR struct {
	StartingMRR  money.Money     `json:"starting_mrr"`
	New          money.Money     `json:"new"`
	Expansion    money.Money     `json:"expansion"`
	Contraction  money.Money     `json:"contraction"`
	Churn        money.Money     `json:"churn"`
	Reactivation money.Money     `json:"reactivation"`
	EndingMRR    money.Money     `json:"ending_mrr"`
	NRR          *revenue.Metric `json:"nrr"`
	GRR          *revenue.Metric `json:"grr"`
}

// Speed is speed-to-lead of one stage (and owner or route): the leads that
// entered it, how long until their next stage change (any: forward,
// disqualified, recycled), and SLA compliance:
//
//	met      next change on or before the deadline
//	breached next change after the deadline, or none and AsOf after it
//	pending  no next change yet and the deadline still ahead
//	share within SLA = met / (met + breached)
//
// The deadline is the change's own Deadline, else its time plus the stage's
// Config.SLA; entries with neither are timed but not judged. The median is
// the mean of the two middle times for an even count; P90 is the
// nearest-rank 90th percentile, the ⌈0.9·n⌉-th smallest time (Hyndman and
// Fan's definition 1, the inverse of the empirical distribution).
type Speed struct {
	Stage       string   `json:"stage"`
	Owner       string   `json:"owner,omitempty"`
	Route       string   `json:"route,omitempty"`
	Entered     int64    `json:"entered"`
	Responded   int64    `json:"responded"`
	MedianHours *float64 `json:"median_hours"`
	P90Hours    *float64 `json:"p90_hours"`
	Met         int64    `json:"sla_met"`
	Breached    int64    `json:"sla_breached"`
	Pending     int64    `json:"sla_pending"`
	WithinSLA   *float64 `json:"within_sla"`
}

// View builds the view over every period with data, in time order.
// Errors: ctx's error; a stage change the funnel rejects.
func (b *Builder) View(ctx context.Context) (*View, error) {
	v := &View{Currency: b.cfg.Currency, Granularity: b.cfg.Period, Model: b.cfg.Model.Name()}
	asOf := b.cfg.AsOf
	if asOf.IsZero() && b.latest != 0 {
		asOf = time.Unix(0, b.latest).UTC()
	}
	v.AsOf, v.Survey = asOf, b.survey
	// Every period with a stage change, deal, spend or subscription month.
	for _, c := range b.changes {
		b.period(b.periodOf(time.Unix(0, c.at)))
	}
	var bridge *mrr.Bridge
	if len(b.events) > 0 {
		var err error
		if bridge, err = mrr.NewBridge(ctx, b.events, b.cfg.MRRMethod, b.cfg.Currency); err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
		for _, m := range bridge.Months {
			b.period(b.periodOf(m.Period.Start))
		}
	}
	periods := make([]record.Period, 0, len(b.periods))
	for p := range b.periods {
		periods = append(periods, p)
	}
	slices.SortFunc(periods, func(a, c record.Period) int { return a.Start.Compare(c.Start) })

	// Each lead belongs to the cohort of its earliest funnel entry, so each
	// period's funnel reads only its own leads: the work is one pass over
	// the leads, however many periods the data spans.
	cohorts := map[record.Period][]revenue.Prospect{}
	for _, pr := range b.prospects() {
		var first time.Time
		for _, h := range pr.History {
			if !slices.Contains(b.cfg.Exits, h.Stage) && (first.IsZero() || h.At.Before(first)) {
				first = h.At
			}
		}
		if !first.IsZero() {
			p := b.periodOf(first)
			cohorts[p] = append(cohorts[p], pr)
		}
	}
	speed := b.speed(asOf)
	cur := b.cfg.Currency
	for _, p := range periods {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pd := b.periods[p]
		pv := PeriodView{Period: p}
		una := func(kpi string, err error) { pv.Unavailable = append(pv.Unavailable, Unavailable{kpi, err.Error()}) }
		f, err := revenue.Conversions(ctx, cohorts[p], p, revenue.FunnelCohort, b.cfg.Stages, revenue.WithExits(b.cfg.Exits...))
		if err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
		pv.Funnel = f
		pv.Speed = speed[p]
		if pv.Pipeline, err = contribution(ctx, pd.kindPipe, pd.createdDeals, money.New(pd.pipeAmount, cur)); err != nil {
			return nil, err
		}
		if pv.Revenue, err = contribution(ctx, pd.kindRevenue, pd.wonDeals, money.New(pd.wonAmount, cur)); err != nil {
			return nil, err
		}
		pv.Spend = SpendTotals{money.New(pd.spendMarketing, cur), money.New(pd.spendSales, cur)}
		if pv.Attribution, err = b.attribute(ctx, pd, una); err != nil {
			return nil, err
		}
		pv.NewCustomers = pd.wonDeals
		if pd.wonDeals == 0 {
			una("pipeline_velocity", fmt.Errorf("no won deals closed in the period (win rate, deal size and cycle need them)"))
		} else {
			win := float64(pd.wonDeals) / float64(pd.wonDeals+pd.lostDeals)
			avg, _ := new(big.Rat).SetFrac64(pd.wonAmount, pd.wonDeals).Float64()
			cycle := pd.wonCycle.mean(pd.wonDeals)
			avgM := money.New(int64(math.Round(avg)), cur) // the average won deal to the minor unit
			if vel, err := revenue.PipelineVelocity(pd.createdDeals, win, avgM, cycle, revenue.WithPeriod(time.Duration(p.Days())*24*time.Hour)); err == nil {
				pv.Velocity = &vel
			} else {
				una("pipeline_velocity", err)
			}
		}
		if m, err := revenue.CAC(pv.Spend.Marketing, pv.Spend.Sales, pd.wonDeals, b.cfg.CAC); err != nil {
			una("cac", err)
		} else {
			pv.CAC = &m
		}
		if bridge != nil {
			b.recurring(ctx, &pv, bridge, una)
		}
		v.Periods = append(v.Periods, pv)
	}
	return v, nil
}

// contribution runs FirstTouch and Participation over the touch-kind
// aggregate: the credit of the "marketing" kind is what marketing sourced
// and influenced.
func contribution(ctx context.Context, a *attribution.Aggregate, deals int64, total money.Money) (Contribution, error) {
	c := Contribution{Deals: deals, Total: total, Sourced: money.Zero(total.Currency), Influenced: money.Zero(total.Currency)}
	for i, m := range []attribution.Model{attribution.FirstTouch(), attribution.Participation()} {
		res, err := attribution.Run(ctx, a, m)
		if errors.Is(err, attribution.ErrNoConversions) {
			break
		}
		if err != nil {
			return c, fmt.Errorf("engine: %w", err)
		}
		if cr, ok := res.Channel(string(record.TouchMarketing)); ok {
			if i == 0 {
				c.Sourced = cr.Value
			} else {
				c.Influenced = cr.Value
			}
		}
	}
	if m, err := revenue.MarketingShare(c.Sourced, total); err == nil {
		m.KPI, m.Variant = "marketing_sourced_share", revenue.SourcedFirstTouch
		c.SourcedShare = &m
	}
	if m, err := revenue.MarketingShare(c.Influenced, total); err == nil {
		m.KPI, m.Variant = "marketing_influenced_share", revenue.InfluencedAnyTouch
		c.InfluencedShare = &m
	}
	return c, nil
}

func (b *Builder) attribute(ctx context.Context, pd *periodData, una func(string, error)) (*Attribution, error) {
	out := &Attribution{Model: b.cfg.Model.Name()}
	for i, agg := range []*attribution.Aggregate{pd.byChannel, pd.byCampaign} {
		spend := pd.spendChannel
		if i == 1 {
			spend = pd.spendCamp
		}
		res, err := attribution.Run(ctx, agg, b.cfg.Model)
		switch {
		case errors.Is(err, attribution.ErrNoConversions):
			res = &attribution.Result{}
		case err != nil:
			return nil, fmt.Errorf("engine: attribution: %w", err)
		}
		rs, err := returns(res, spend, b.cfg.Currency, b.cfg.ROI)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			out.ByChannel = rs
		} else {
			out.ByCampaign = rs
		}
	}
	if len(out.ByChannel) == 0 {
		una("attribution", fmt.Errorf("no won or lost deals and no spend in the period"))
		return nil, nil
	}
	return out, nil
}

// returns joins credits and spend per key, through the one ROI definition
// (revenue.ROI) and ROAS (revenue.ROAS). A key with spend and no credit
// has ROI −1; a key with no spend has no ROI, ROAS or CAC.
func returns(res *attribution.Result, spend map[string]int64, cur money.Currency, roi []revenue.ROIOption) ([]Return, error) {
	by := map[string]*Return{}
	get := func(k string) *Return {
		r := by[k]
		if r == nil {
			r = &Return{Key: k, Cost: money.Zero(cur), Value: money.Zero(cur)}
			by[k] = r
		}
		return r
	}
	for _, c := range res.Channels {
		r := get(c.Channel)
		r.Conversions, r.Value = c.Conversions, c.Value
	}
	for k, v := range spend {
		get(k).Cost = money.New(v, cur)
	}
	out := make([]Return, 0, len(by))
	for _, r := range by {
		if r.Cost.Amount > 0 {
			m, err := revenue.ROI(r.Value, r.Cost, roi...)
			if err != nil {
				return nil, fmt.Errorf("engine: roi of %s: %w", r.Key, err)
			}
			r.ROI = &m
			if m, err := revenue.ROAS(r.Value, r.Cost); err == nil {
				r.ROAS = &m
			}
			if r.Conversions > 0 {
				q := new(big.Rat).SetInt64(r.Cost.Amount)
				q.Quo(q, new(big.Rat).SetFloat64(r.Conversions))
				ex, _ := q.Float64()
				v, err := money.HalfEven.Round(q)
				if err != nil {
					return nil, fmt.Errorf("engine: cac of %s: %w", r.Key, err)
				}
				r.CAC = &Cost{money.New(v, cur), ex}
			}
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Return) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// recurring fills the MRR bridge, NRR/GRR, LTV, LTV:CAC and payback.
// LTV is monthly (revenue.LTV): ARPA and customer churn of the period's
// last month, ARPA = ending MRR / paying customers, churn =
// mrr.CustomerChurn(customers at start, customers lost, new).
func (b *Builder) recurring(ctx context.Context, pv *PeriodView, br *mrr.Bridge, una func(string, error)) {
	cur := b.cfg.Currency
	var months []mrr.Month
	for _, m := range br.Months {
		if pv.Period.Contains(m.Period.Start) {
			months = append(months, m)
		}
	}
	if len(months) == 0 {
		una("mrr", fmt.Errorf("no subscription events cover the period"))
		return
	}
	r := &MRR{StartingMRR: months[0].StartingMRR, EndingMRR: months[len(months)-1].EndingMRR}
	sums := []*money.Money{&r.New, &r.Expansion, &r.Contraction, &r.Churn, &r.Reactivation}
	for _, s := range sums {
		*s = money.Zero(cur)
	}
	for _, m := range months {
		for i, v := range []money.Money{m.New, m.Expansion, m.Contraction, m.Churn, m.Reactivation} {
			t, err := sums[i].Add(v)
			if err != nil {
				una("mrr", err)
				return
			}
			*sums[i] = t
		}
	}
	if c, err := mrr.Retention(ctx, b.events, pv.Period, cur); err != nil {
		una("nrr", err)
	} else {
		r.NRR, r.GRR = &c.NRR, &c.GRR
	}
	pv.MRR = r
	last := months[len(months)-1]
	arpa, err := revenue.ARPA(last.EndingMRR, int64(last.CustomersEnd))
	if err != nil {
		una("ltv", fmt.Errorf("arpa: %w", err))
		return
	}
	churn, err := mrr.CustomerChurn(int64(last.CustomersStart), int64(len(last.MovementsOf(mrr.MovementChurn))), int64(len(last.MovementsOf(mrr.MovementNew))))
	if err != nil {
		una("ltv", fmt.Errorf("customer churn: %w", err))
		return
	}
	ltv, err := revenue.LTV(arpa.Value, churn.Value, revenue.WithGrossMargin(b.cfg.GrossMargin))
	if err != nil {
		una("ltv", err)
		return
	}
	pv.LTV = &ltv
	if pv.CAC == nil {
		una("ltv_to_cac", fmt.Errorf("no CAC"))
		return
	}
	if m, err := revenue.LTVToCAC(ltv.Value, pv.CAC.Value); err != nil {
		una("ltv_to_cac", err)
	} else {
		pv.LTVToCAC = &m
	}
	if m, err := revenue.CACPayback(pv.CAC.Value, arpa.Value, b.cfg.GrossMargin); err != nil {
		una("cac_payback_months", err)
	} else {
		pv.Payback = &m
	}
}
