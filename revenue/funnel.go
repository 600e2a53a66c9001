package revenue

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// FunnelView says which leads a funnel counts.
type FunnelView string

// Funnel views.
const (
	// FunnelCohort follows the leads that entered the first stage during
	// the period and counts how many of them reached each later stage, at
	// any date (the cohort, or "time-to-convert", view of the demand
	// waterfall). Its rates are true conversion probabilities in [0, 1].
	FunnelCohort FunnelView = "cohort"
	// FunnelPeriod counts, for each stage, the leads that reached it during
	// the period, whenever they entered the funnel (the flow, or
	// "volume", view of the monthly marketing report). Its rates compare
	// volumes and may exceed 1 when a previous month's leads convert.
	FunnelPeriod FunnelView = "period"
)

// StageCount is the number of leads that reached a stage.
type StageCount struct {
	Stage Stage `json:"stage"`
	Count int64 `json:"count"`
}

// Conversion is the conversion into a stage: from the stage before it
// (stage to stage) and from the first stage (cumulative). A rate whose
// denominator is zero is nil (JSON null); use Funnel.Rate for an error.
type Conversion struct {
	From       Stage   `json:"from"`
	To         Stage   `json:"to"`
	Rate       *Metric `json:"rate"`       // count(To) / count(From)
	Cumulative *Metric `json:"cumulative"` // count(To) / count(first stage)
}

// NoChannel is the channel name a funnel reports for leads without one.
const NoChannel = "(none)"

// Funnel is a funnel of one channel (or of all, pooled).
type Funnel struct {
	Channel     string       `json:"channel"` // "" for the pooled total, NoChannel for leads without a channel
	Stages      []StageCount `json:"stages"`
	Conversions []Conversion `json:"conversions"`
	view        FunnelView
}

// FunnelReport is the funnel of a period, pooled and by channel.
type FunnelReport struct {
	View      FunnelView `json:"view"`
	Period    string     `json:"period"`
	Total     Funnel     `json:"total"`      // all channels, pooled
	ByChannel []Funnel   `json:"by_channel"` // sorted by channel name
	// Exits counts, per exit stage (WithExits, e.g. "disqualified"), the
	// leads of the view that left the funnel there, in the order given.
	Exits []StageCount `json:"exits,omitempty"`
	// Recycled counts the leads of the view whose history, in time order,
	// moves back to an earlier stage (an MQL recycled to nurture). Their
	// reach is unchanged: a stage reached once stays reached.
	Recycled int64 `json:"recycled"`
}

// ConversionOption tunes Conversions.
type ConversionOption func(*funnelConfig)

type funnelConfig struct{ exits []Stage }

// WithExits declares stages that leave the funnel instead of continuing it,
// such as the scoring package's "disqualified": history entries at them are
// counted in FunnelReport.Exits, not rejected as unknown stages, and do not
// make the lead reach any stage.
func WithExits(stages ...Stage) ConversionOption {
	return func(c *funnelConfig) { c.exits = append(c.exits, stages...) }
}

// Rate returns count(to) / count(from) for any two stages of the funnel,
// e.g. lead to won. Errors: an unknown stage (ErrInvalidInput); no lead at
// from (ErrDivisionByZero).
func (f Funnel) Rate(from, to Stage) (Metric, error) {
	var a, b int64 = -1, -1
	for _, s := range f.Stages {
		if s.Stage == from {
			a = s.Count
		}
		if s.Stage == to {
			b = s.Count
		}
	}
	if a < 0 || b < 0 {
		return Metric{}, fmt.Errorf("revenue: funnel rate: %w: stage %q or %q not in the funnel", errInvalid, from, to)
	}
	return newMetric("conversion_rate", Variant(f.view), fmt.Sprintf("%s / %s", to, from), float64(b), float64(a))
}

// Conversions computes the funnel of the leads over the demand waterfall
// (Forrester/SiriusDecisions: lead → MQL → SAL → SQL → opportunity → won;
// pass stages to use another order, nil for Waterfall()) in period p, with
// the given view.
//
// A lead reaches stage k on the earliest date of its history at stage k or
// any later stage: a lead that skipped from lead to SQL has reached MQL
// and SAL on the day it became an SQL. Hence counts never grow down the
// funnel in the cohort view, and cumulative rate = product of stage-to-stage
// rates.
//
// Stage-to-stage rate into stage k = count(k) / count(k−1); cumulative rate
// = count(k) / count(first stage). Channel figures are computed per channel;
// the total is pooled — Σ successes / Σ trials over the channels, never a
// mean of the channels' rates (which would weight a 3-lead channel like a
// 3,000-lead one).
//
// Custom stage lists (a rules file's own stages) work the same way; exit
// stages such as "disqualified" are declared with WithExits and counted
// apart, and a lead that moves back (recycled) keeps what it reached and is
// counted in Recycled. In the cohort view a lead belongs to the period in
// which it reached the first stage; exits and recycling are counted for the
// same leads. In the period view they are counted when they happen in p.
//
// Errors: a history entry with a stage neither in stages nor an exit, or
// without a date, an exit that is also a stage (ErrInvalidInput); ctx's
// error when cancelled.
func Conversions(ctx context.Context, leads []Prospect, p Period, view FunnelView, stages []Stage, opts ...ConversionOption) (FunnelReport, error) {
	var cfg funnelConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if view != FunnelCohort && view != FunnelPeriod {
		return FunnelReport{}, fmt.Errorf("revenue: funnel: %w: unknown view %q", errInvalid, view)
	}
	if stages == nil {
		stages = Waterfall()
	}
	if len(stages) < 2 {
		return FunnelReport{}, fmt.Errorf("revenue: funnel: %w: want at least two stages", errInvalid)
	}
	index := map[Stage]int{}
	for i, s := range stages {
		if _, dup := index[s]; dup {
			return FunnelReport{}, fmt.Errorf("revenue: funnel: %w: stage %q listed twice", errInvalid, s)
		}
		index[s] = i
	}
	exitIndex := map[Stage]int{}
	for i, s := range cfg.exits {
		if _, dup := index[s]; dup {
			return FunnelReport{}, fmt.Errorf("revenue: funnel: %w: exit %q is also a stage", errInvalid, s)
		}
		if _, dup := exitIndex[s]; dup {
			return FunnelReport{}, fmt.Errorf("revenue: funnel: %w: exit %q listed twice", errInvalid, s)
		}
		exitIndex[s] = i
	}
	exits := make([]int64, len(cfg.exits))
	var recycled int64
	counts := map[string][]int64{}
	reach := make([]time.Time, len(stages))
	type step struct {
		at time.Time
		k  int
	}
	var steps []step
	for li, l := range leads {
		if li%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return FunnelReport{}, err
			}
		}
		clear(reach)
		steps = steps[:0]
		exitAt := make(map[int]time.Time, 0)
		for _, h := range l.History {
			if h.At.IsZero() {
				return FunnelReport{}, fmt.Errorf("revenue: funnel: lead %q: %w: stage %q without a date", l.ID, errInvalid, h.Stage)
			}
			if x, ok := exitIndex[h.Stage]; ok {
				if t, seen := exitAt[x]; !seen || h.At.Before(t) {
					exitAt[x] = Day(h.At)
				}
				continue
			}
			k, ok := index[h.Stage]
			if !ok {
				return FunnelReport{}, fmt.Errorf("revenue: funnel: lead %q: %w: stage %q not in the funnel", l.ID, errInvalid, h.Stage)
			}
			steps = append(steps, step{h.At, k})
			d := Day(h.At)
			for j := 0; j <= k; j++ {
				if reach[j].IsZero() || d.Before(reach[j]) {
					reach[j] = d
				}
			}
		}
		ch := l.Channel
		if ch == "" {
			ch = NoChannel
		}
		c := counts[ch]
		if c == nil {
			c = make([]int64, len(stages))
			counts[ch] = c
		}
		// Recycled: in time order (ties in the order given), a step to an
		// earlier stage than the one before it.
		sort.SliceStable(steps, func(a, b int) bool { return steps[a].at.Before(steps[b].at) })
		var back time.Time
		for i := 1; i < len(steps); i++ {
			if steps[i].k < steps[i-1].k {
				back = Day(steps[i].at)
				break
			}
		}
		if view == FunnelCohort {
			if reach[0].IsZero() || !p.Contains(reach[0]) {
				continue
			}
			for j := range stages {
				if !reach[j].IsZero() {
					c[j]++
				}
			}
			for x := range exitAt {
				exits[x]++
			}
			if !back.IsZero() {
				recycled++
			}
			continue
		}
		for j := range stages {
			if !reach[j].IsZero() && p.Contains(reach[j]) {
				c[j]++
			}
		}
		for x, t := range exitAt {
			if p.Contains(t) {
				exits[x]++
			}
		}
		if !back.IsZero() && p.Contains(back) {
			recycled++
		}
	}
	channels := make([]string, 0, len(counts))
	for ch := range counts {
		channels = append(channels, ch)
	}
	sort.Strings(channels)
	rep := FunnelReport{View: view, Period: p.String(), Recycled: recycled}
	for i, x := range cfg.exits {
		rep.Exits = append(rep.Exits, StageCount{x, exits[i]})
	}
	total := make([]int64, len(stages))
	for _, ch := range channels {
		for j, n := range counts[ch] {
			total[j] += n
		}
		rep.ByChannel = append(rep.ByChannel, buildFunnel(ch, stages, counts[ch], view))
	}
	rep.Total = buildFunnel("", stages, total, view)
	return rep, nil
}

// FunnelFromCounts returns the funnel of stage counts given in order, top
// first (at least two, stage names unique), with the stage-to-stage and
// cumulative rates of Conversions:
//
//	stage-to-stage rate into k = count(k) / count(k−1)
//	cumulative rate into k     = count(k) / count(first)
//
// In the cohort view a later stage counts a subset of the leads of the one
// before (the demand waterfall of Forrester/SiriusDecisions), so a count
// above the one before it is an error (ErrInconsistentInput), never a rate
// above 1. The period view compares volumes and accepts it. A rate whose
// denominator is zero is nil, as in Conversions.
// Errors: fewer than two stages, an empty or repeated stage name, an
// unknown view (ErrInvalidInput); a negative count (ErrNegativeAmount).
func FunnelFromCounts(view FunnelView, counts []StageCount) (Funnel, error) {
	const kpi = "funnel"
	if view != FunnelCohort && view != FunnelPeriod {
		return Funnel{}, fmt.Errorf("revenue: %s: %w: unknown view %q", kpi, errInvalid, view)
	}
	if len(counts) < 2 {
		return Funnel{}, fmt.Errorf("revenue: %s: %w: want at least two stages, have %d", kpi, errInvalid, len(counts))
	}
	seen := map[Stage]bool{}
	stages := make([]Stage, len(counts))
	ns := make([]int64, len(counts))
	for i, c := range counts {
		if c.Stage == "" || seen[c.Stage] {
			return Funnel{}, fmt.Errorf("revenue: %s: %w: stage %d name %q empty or repeated", kpi, errInvalid, i+1, c.Stage)
		}
		seen[c.Stage] = true
		if err := op.Count(kpi, fmt.Sprintf("count of %s", c.Stage), c.Count); err != nil {
			return Funnel{}, err
		}
		if view == FunnelCohort && i > 0 && c.Count > counts[i-1].Count {
			return Funnel{}, fmt.Errorf("revenue: %s: %w: cohort stage %s has %d, more than the %d of %s before it",
				kpi, errInconsistent, c.Stage, c.Count, counts[i-1].Count, counts[i-1].Stage)
		}
		stages[i], ns[i] = c.Stage, c.Count
	}
	return buildFunnel("", stages, ns, view), nil
}

func buildFunnel(channel string, stages []Stage, counts []int64, view FunnelView) Funnel {
	f := Funnel{Channel: channel, view: view}
	for j, s := range stages {
		f.Stages = append(f.Stages, StageCount{s, counts[j]})
	}
	for j := 1; j < len(stages); j++ {
		c := Conversion{From: stages[j-1], To: stages[j]}
		if m, err := newMetric("stage_conversion_rate", Variant(view), fmt.Sprintf("%s / %s", stages[j], stages[j-1]),
			float64(counts[j]), float64(counts[j-1])); err == nil {
			c.Rate = &m
		}
		if m, err := newMetric("cumulative_conversion_rate", Variant(view), fmt.Sprintf("%s / %s", stages[j], stages[0]),
			float64(counts[j]), float64(counts[0])); err == nil {
			c.Cumulative = &m
		}
		f.Conversions = append(f.Conversions, c)
	}
	return f
}
