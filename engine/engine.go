package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/mrr"
	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/survey"
)

// Granularity is the length of the view's periods.
type Granularity string

// Granularities.
const (
	ByMonth   Granularity = "month"
	ByQuarter Granularity = "quarter"
)

// NoCampaign is the campaign key of touches and spend without a campaign.
const NoCampaign = "(none)"

// Config sets up a Builder. Currency is required; the zero value of every
// other field is the documented default.
type Config struct {
	Currency money.Currency // of every amount; another currency is an error
	Period   Granularity    // "" is ByMonth
	// Stages are the funnel stages in order (nil: revenue.Waterfall());
	// Exits the stages that leave it (nil: "disqualified").
	Stages []revenue.Stage
	Exits  []revenue.Stage
	// Model attributes won deals to channels and campaigns (nil: linear).
	Model attribution.Model
	// ROI selects the ROI variant through revenue.ROI's options
	// (WithGrossMargin, WithBaseline); none is (revenue − cost) / cost.
	ROI []revenue.ROIOption
	// CAC selects the blended CAC variant (default fully loaded).
	CAC revenue.CACVariant
	// GrossMargin in (0, 1] weights LTV and CAC payback; 0 means 1 (revenue
	// LTV and payback on revenue).
	GrossMargin float64
	// SLA is the handoff SLA per stage for stage changes without a
	// Deadline of their own.
	SLA map[string]time.Duration
	// AsOf is when the data was extracted: a lead still in a stage whose
	// deadline is before AsOf has breached its SLA, one whose deadline is
	// after is pending. Zero: the latest time in the stage changes.
	AsOf time.Time
	// MRRMethod classifies MRR movements (default mrr.MethodEvent).
	MRRMethod mrr.Method
	// Rules, when set, is the rule set that scored the results of
	// Files.Scored: it resolves a result without a previous stage to the
	// first stage, and its stages are the funnel's when Stages is nil.
	Rules *scoring.RuleSet
}

// periodData is what the builder keeps per period: aggregates, not deals.
type periodData struct {
	p                          record.Period
	byChannel, byCampaign      *attribution.Aggregate
	kindRevenue, kindPipe      *attribution.Aggregate
	wonDeals, createdDeals     int64
	lostDeals                  int64
	wonCycle                   cycleSum // Σ created → closed of the won deals, exact
	wonAmount, pipeAmount      int64
	spendChannel, spendCamp    map[string]int64
	spendMarketing, spendSales int64
}

// change is a stage change kept compactly: 1M of them fit in tens of MB.
type change struct {
	lead, from, to, owner, route, channel int32
	at, deadline                          int64 // Unix nanoseconds; deadline 0 when none
	line                                  int32
}

// Builder accumulates records and builds the revenue-engine View. Add
// methods stream: a deal's touches are folded into the period's
// attribution aggregates and dropped, so memory grows with the number of
// distinct paths, leads and deals, not with touches. A Builder is not safe
// for concurrent use.
type Builder struct {
	cfg     Config
	rules   *scoring.RuleSet
	names   []string
	index   map[string]int32
	changes []change
	periods map[record.Period]*periodData
	dealIDs map[string]struct{}
	events  []record.SubscriptionEvent
	latest  int64
	spends  int64 // spend rows added
	survey  *survey.Report
}

// Added counts the records a Builder holds, by kind: what was accepted
// (the rest was returned as errors). A deal's touches count with the deal.
type Added struct {
	StageChanges       int64 `json:"stage_changes"`
	Deals              int64 `json:"deals"`
	Spend              int64 `json:"spend"`
	SubscriptionEvents int64 `json:"subscription_events"`
}

// Total is the sum of the counts.
func (a Added) Total() int64 { return a.StageChanges + a.Deals + a.Spend + a.SubscriptionEvents }

// Added reports the records the builder holds, its own and those merged in.
func (b *Builder) Added() Added {
	return Added{StageChanges: int64(len(b.changes)), Deals: int64(len(b.dealIDs)), Spend: b.spends, SubscriptionEvents: int64(len(b.events))}
}

// New returns a Builder. Errors: an invalid currency, granularity, SLA or
// margin (ErrInvalidInput).
func New(cfg Config) (*Builder, error) {
	if err := cfg.Currency.Validate(); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	if cfg.Period == "" {
		cfg.Period = ByMonth
	}
	if cfg.Period != ByMonth && cfg.Period != ByQuarter {
		return nil, fmt.Errorf("engine: %w: period %q is not month or quarter", ErrInvalidInput, cfg.Period)
	}
	if cfg.Stages == nil && cfg.Rules != nil {
		cfg.Stages = Stages(cfg.Rules)
	}
	if cfg.Stages == nil {
		cfg.Stages = revenue.Waterfall()
	}
	if cfg.Exits == nil {
		cfg.Exits = []revenue.Stage{"disqualified"}
	}
	if cfg.Model == nil {
		cfg.Model = attribution.Linear()
	}
	if cfg.CAC == "" {
		cfg.CAC = revenue.CACFullyLoaded
	}
	if cfg.GrossMargin == 0 {
		cfg.GrossMargin = 1
	}
	if !(cfg.GrossMargin > 0 && cfg.GrossMargin <= 1) {
		return nil, fmt.Errorf("engine: %w: gross margin %v not in (0, 1]", ErrInvalidInput, cfg.GrossMargin)
	}
	for s, d := range cfg.SLA {
		if d <= 0 {
			return nil, fmt.Errorf("engine: %w: SLA of stage %q is %v, want > 0", ErrInvalidInput, s, d)
		}
	}
	if cfg.MRRMethod == "" {
		cfg.MRRMethod = mrr.MethodEvent
	}
	if len(cfg.Stages) < 2 {
		return nil, fmt.Errorf("engine: %w: want at least two funnel stages, have %v", ErrInvalidInput, cfg.Stages)
	}
	seen := map[revenue.Stage]bool{}
	for _, s := range append(slices.Clone(cfg.Stages), cfg.Exits...) {
		if s == "" || seen[s] {
			return nil, fmt.Errorf("engine: %w: stage %q empty or listed twice among stages %v and exits %v", ErrInvalidInput, s, cfg.Stages, cfg.Exits)
		}
		seen[s] = true
	}
	b := &Builder{cfg: cfg, rules: cfg.Rules, index: map[string]int32{}, periods: map[record.Period]*periodData{}, dealIDs: map[string]struct{}{}}
	b.intern("")
	return b, nil
}

func (b *Builder) intern(s string) int32 {
	if i, ok := b.index[s]; ok {
		return i
	}
	i := int32(len(b.names))
	b.names = append(b.names, s)
	b.index[s] = i
	return i
}

// periodOf returns the view period containing t.
func (b *Builder) periodOf(t time.Time) record.Period {
	d := record.Day(t)
	if b.cfg.Period == ByQuarter {
		p, _ := record.Quarter(d.Year(), (int(d.Month())-1)/3+1)
		return p
	}
	return record.Month(d.Year(), d.Month())
}

func (b *Builder) period(p record.Period) *periodData {
	pd := b.periods[p]
	if pd == nil {
		agg := func() *attribution.Aggregate {
			return attribution.NewAggregate(attribution.WithCurrency(b.cfg.Currency))
		}
		pd = &periodData{p: p, byChannel: agg(), byCampaign: agg(), kindRevenue: agg(), kindPipe: agg(),
			spendChannel: map[string]int64{}, spendCamp: map[string]int64{}}
		b.periods[p] = pd
	}
	return pd
}

func recErr(file string, line int, id, format string, a ...any) error {
	return &record.Error{File: file, Line: line, ID: id, Err: ErrInvalidInput, Msg: fmt.Sprintf(format, a...)}
}

func mismatch(line int, id string, got, want money.Currency) error {
	return &record.Error{Line: line, ID: id, Err: ErrCurrencyMismatch, Msg: fmt.Sprintf("amount in %s, the view is in %s", got, want)}
}

// AddStageChange adds a stage change. Errors: no lead, stage or time.
func (b *Builder) AddStageChange(c record.StageChange) error {
	if c.LeadID == "" || c.To == "" || c.At.IsZero() {
		return recErr("", c.Line, c.LeadID, "stage change without a lead, a stage or a time")
	}
	if !nanoRange(c.At) || (!c.Deadline.IsZero() && !nanoRange(c.Deadline)) {
		return recErr("", c.Line, c.LeadID, "stage change time outside 1678–2261, the range the view can time")
	}
	if !b.isStage(c.To) || (c.From != "" && !b.isStage(c.From)) {
		return recErr("", c.Line, c.LeadID, "stage change %q → %q: not a funnel stage or exit (stages %v, exits %v)", c.From, c.To, b.cfg.Stages, b.cfg.Exits)
	}
	ch := change{lead: b.intern(c.LeadID), from: b.intern(c.From), to: b.intern(c.To), owner: b.intern(c.Owner),
		route: b.intern(c.Route), channel: b.intern(c.Channel), at: c.At.UnixNano(), line: int32(min(c.Line, math.MaxInt32))}
	if !c.Deadline.IsZero() {
		ch.deadline = c.Deadline.UnixNano()
	}
	b.latest = max(b.latest, ch.at)
	b.changes = append(b.changes, ch)
	return nil
}

// AddDeal adds a deal with its touches: a deal created in a period adds to
// its pipeline, a won or lost deal closed in a period to its attribution
// (won deals convert with their amount, lost ones are non-converting paths),
// revenue and new customers. The touches are not kept. Errors: a repeated
// id, another currency, a negative amount, a deal closed before it was
// created or without a close date, a touch without a channel or kind.
func (b *Builder) AddDeal(d record.Deal) error {
	if _, dup := b.dealIDs[d.ID]; dup || d.ID == "" {
		return recErr("", d.Line, d.ID, "deal id empty or repeated")
	}
	if d.Amount.Currency != b.cfg.Currency {
		return mismatch(d.Line, d.ID, d.Amount.Currency, b.cfg.Currency)
	}
	if d.Amount.Amount < 0 {
		return recErr("", d.Line, d.ID, "negative amount %d", d.Amount.Amount)
	}
	if d.Created.IsZero() {
		return recErr("", d.Line, d.ID, "deal without a creation date")
	}
	closed := d.Status == record.DealWon || d.Status == record.DealLost
	switch {
	case d.Status != record.DealOpen && !closed:
		return recErr("", d.Line, d.ID, "status %q is not open, won or lost", d.Status)
	case closed && d.Closed.IsZero():
		return recErr("", d.Line, d.ID, "%s deal without a close date", d.Status)
	case closed && d.Closed.Before(d.Created):
		return recErr("", d.Line, d.ID, "closed before it was created")
	}
	for i, t := range d.Touches {
		if t.Channel == "" || (t.Kind != record.TouchMarketing && t.Kind != record.TouchSales) || t.At.IsZero() {
			return recErr("", max(t.Line, d.Line), d.ID, "touch %d needs a time, a channel and kind marketing or sales", i+1)
		}
	}
	b.dealIDs[d.ID] = struct{}{}
	ts := sortedTouches(d)
	won := d.Status == record.DealWon

	cp := b.period(b.periodOf(d.Created))
	cp.createdDeals++
	if err := addTo(&cp.pipeAmount, d.Amount.Amount); err != nil {
		return fmt.Errorf("engine: deal %q: pipeline: %w", d.ID, err)
	}
	pj := kindJourney(d, ts, d.Created, true)
	if err := cp.kindPipe.Add(pj); err != nil {
		return fmt.Errorf("engine: deal %q: %w", d.ID, err)
	}
	if !closed {
		return nil
	}
	pd := b.period(b.periodOf(d.Closed))
	if !won {
		pd.lostDeals++
	}
	if won {
		pd.wonDeals++
		if err := pd.wonCycle.add(d.Closed.Sub(d.Created)); err != nil {
			return fmt.Errorf("engine: deal %q: sales cycle: %w", d.ID, err)
		}
		if err := addTo(&pd.wonAmount, d.Amount.Amount); err != nil {
			return fmt.Errorf("engine: deal %q: revenue: %w", d.ID, err)
		}
		if err := pd.kindRevenue.Add(kindJourney(d, ts, d.Closed, true)); err != nil {
			return fmt.Errorf("engine: deal %q: %w", d.ID, err)
		}
	}
	j := Journey(d)
	if err := pd.byChannel.Add(j); err != nil {
		return fmt.Errorf("engine: deal %q: %w", d.ID, err)
	}
	for i := range j.Touches {
		j.Touches[i].Channel = campaignKey(j.Touches[i].Campaign)
	}
	if err := pd.byCampaign.Add(j); err != nil {
		return fmt.Errorf("engine: deal %q: %w", d.ID, err)
	}
	return nil
}

func campaignKey(c string) string {
	if c == "" {
		return NoCampaign
	}
	return c
}

// AddSpend adds a spend row to the view period containing its start.
// Errors: another currency, a negative amount, an unknown category, or a
// spend period longer than the view's (quarterly spend in a monthly view
// cannot be split without a guess).
func (b *Builder) AddSpend(s record.Spend) error {
	if s.Amount.Currency != b.cfg.Currency {
		return mismatch(s.Line, s.Channel, s.Amount.Currency, b.cfg.Currency)
	}
	if s.Amount.Amount < 0 || s.Channel == "" || s.Period.Start.IsZero() {
		return recErr("", s.Line, s.Channel, "spend needs a period, a channel and an amount ≥ 0")
	}
	p := b.periodOf(s.Period.Start)
	if s.Period.End.After(p.End) {
		return recErr("", s.Line, s.Channel, "spend period %s is longer than the view's period %s", s.Period, p)
	}
	pd := b.period(p)
	var total *int64
	switch s.Category {
	case record.SpendMarketing:
		total = &pd.spendMarketing
	case record.SpendSales:
		total = &pd.spendSales
	default:
		return recErr("", s.Line, s.Channel, "category %q is not marketing or sales", s.Category)
	}
	ch, camp := pd.spendChannel[s.Channel], pd.spendCamp[campaignKey(s.Campaign)]
	if err := errors.Join(addTo(total, s.Amount.Amount), addTo(&ch, s.Amount.Amount), addTo(&camp, s.Amount.Amount)); err != nil {
		return fmt.Errorf("engine: spend line %d: %w", s.Line, err)
	}
	pd.spendChannel[s.Channel], pd.spendCamp[campaignKey(s.Campaign)] = ch, camp
	b.spends++
	return nil
}

// SetSurvey attaches an eNPS (or pulse) survey report to the view.
func (b *Builder) SetSurvey(rep *survey.Report) { b.survey = rep }

// AddSubscriptionEvent adds a subscription event for the MRR bridge, NRR,
// GRR and LTV. Errors: another currency.
func (b *Builder) AddSubscriptionEvent(e record.SubscriptionEvent) error {
	if e.MRR.Currency != b.cfg.Currency {
		return mismatch(e.Line, e.CustomerID, e.MRR.Currency, b.cfg.Currency)
	}
	b.events = append(b.events, e)
	return nil
}

// addTo adds v to *p, or reports an overflow and leaves *p.
func addTo(p *int64, v int64) error {
	if (v > 0 && *p > math.MaxInt64-v) || (v < 0 && *p < math.MinInt64-v) {
		return fmt.Errorf("%w: total overflows int64", ErrOverflow)
	}
	*p += v
	return nil
}

func (b *Builder) isStage(s string) bool {
	return slices.Contains(b.cfg.Stages, revenue.Stage(s)) || slices.Contains(b.cfg.Exits, revenue.Stage(s))
}

// nanoRange reports whether t has a Unix time in nanoseconds (years 1678 to
// 2261), which the compact stage changes store.
func nanoRange(t time.Time) bool {
	return t.Year() >= 1678 && t.Year() <= 2261
}
