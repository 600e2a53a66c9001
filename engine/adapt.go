package engine

import (
	"slices"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/scoring"
)

// The module's error kinds, re-exported under the same names.
var (
	ErrInvalidInput      = diag.ErrInvalidInput
	ErrZeroDenominator   = diag.ErrZeroDenominator
	ErrCurrencyMismatch  = diag.ErrCurrencyMismatch
	ErrInconsistentInput = diag.ErrInconsistentInput
	ErrEmptyInput        = diag.ErrEmptyInput
	ErrOverflow          = diag.ErrOverflow
	ErrNegativeAmount    = diag.ErrNegativeAmount
)

// StageChange turns one scoring result into the stage change it records,
// and reports false when the evaluation did not change the stage. It is the
// one scoring → funnel adapter: the lead, the stage before (PreviousStage,
// "" for a lead scored for the first time) and after, the evaluation time,
// the stage, disqualify or recycle rule that fired, the owner and route the
// lead was handed to and, when the new stage has an SLA, its deadline.
// Disqualified leads get To = scoring.DisqualifiedStage; recycled ones the
// recycle rule's target, an earlier stage. A lead scored without a stage is,
// by the scoring package's definition, at the rule set's first stage: that
// is its From.
func StageChange(rs *scoring.RuleSet, res *scoring.Result) (record.StageChange, bool) {
	if res == nil || !res.StageChanged {
		return record.StageChange{}, false
	}
	from := res.PreviousStage
	if from == "" && rs != nil {
		if st := rs.Stages(); len(st) > 0 && st[0] != res.Stage {
			from = st[0] // "" stays "" for the entry into the first stage itself
		}
	}
	c := record.StageChange{LeadID: res.LeadID, From: from, To: res.Stage, At: res.At.UTC(),
		Rule: res.StageRule, Owner: res.Route.Owner, Route: res.Route.ID}
	if c.Owner == "" {
		c.Owner = res.Route.Queue
	}
	if !res.SLA.Deadline.IsZero() {
		c.Deadline = res.SLA.Deadline.UTC()
	}
	return c, true
}

// Stages returns the rule set's stages as funnel stages, in the rules
// file's order (the order of RuleSet.Stages).
func Stages(rs *scoring.RuleSet) []revenue.Stage {
	ids := rs.Stages()
	out := make([]revenue.Stage, 0, len(ids))
	for _, id := range ids {
		if id != scoring.DisqualifiedStage {
			out = append(out, revenue.Stage(id))
		}
	}
	return out
}

// Prospects groups stage changes by lead into the funnel's prospects, in
// order of each lead's first change: every change becomes a history entry
// at its To stage, and the From stage of a lead's earliest change is entered
// at the same time when no change records entering it (the lead was
// there). The channel is the first non-empty Channel of the lead's changes.
func Prospects(changes []record.StageChange) []revenue.Prospect {
	b := &Builder{index: map[string]int32{}}
	b.intern("")
	for _, c := range changes {
		b.changes = append(b.changes, change{lead: b.intern(c.LeadID), from: b.intern(c.From), to: b.intern(c.To),
			channel: b.intern(c.Channel), at: c.At.UnixNano()})
	}
	return b.prospects()
}

// prospects is Prospects over the builder's compact changes.
func (b *Builder) prospects() []revenue.Prospect {
	pos := map[int32]int{}
	var out []revenue.Prospect
	type firstChange struct {
		from int32
		at   int64
	}
	var first []firstChange
	for _, c := range b.changes {
		k, ok := pos[c.lead]
		if !ok {
			k = len(out)
			pos[c.lead] = k
			out = append(out, revenue.Prospect{ID: b.names[c.lead]})
			first = append(first, firstChange{c.from, c.at})
		}
		p := &out[k]
		if p.Channel == "" {
			p.Channel = b.names[c.channel]
		}
		p.History = append(p.History, revenue.StageChange{Stage: revenue.Stage(b.names[c.to]), At: time.Unix(0, c.at).UTC()})
		if c.at < first[k].at {
			first[k] = firstChange{c.from, c.at}
		}
	}
	for k := range out {
		// Before the other entries: the lead was there before it moved.
		f := first[k]
		if f.from == 0 || slices.ContainsFunc(out[k].History, func(h revenue.StageChange) bool { return string(h.Stage) == b.names[f.from] }) {
			continue
		}
		{
			out[k].History = slices.Insert(out[k].History, 0, revenue.StageChange{Stage: revenue.Stage(b.names[f.from]), At: time.Unix(0, f.at).UTC()})
		}
	}
	return out
}

// Journey converts a deal and its touches to an attribution journey (each
// touch through attribution.FromRecord, the one touch conversion): touches in time order (ties keep
// their order; the attribution package wants them sorted), each with its
// channel, campaign and milestone flags; touches after the close date are
// left out, since they could not have earned the deal. A won deal converts
// at its close date with its amount as value; open and lost deals do not
// convert (value zero), which is what data-driven models need as their
// non-converting paths.
func Journey(d record.Deal) attribution.Journey {
	j := attribution.Journey{ID: d.ID, Value: money.Zero(d.Amount.Currency)}
	if d.Status == record.DealWon {
		j.Converted, j.Value, j.ConversionTime = true, d.Amount, d.Closed
	}
	for _, t := range sortedTouches(d) {
		if !d.Closed.IsZero() && t.At.After(d.Closed) {
			continue
		}
		j.Touches = append(j.Touches, attribution.FromRecord(t))
	}
	return j
}

// EventTouches turns a lead's scoring events into marketing touches:
// channel names each event's channel and campaign, "" to skip the event
// (ByProperty reads them from event properties). Touches come out in time
// order; the first created the lead. Together with Journey this turns lead
// events into attribution journeys.
func EventTouches(leadID string, events []scoring.Event, channel func(scoring.Event) (ch, campaign string)) []record.Touch {
	var out []record.Touch
	for _, e := range events {
		ch, camp := channel(e)
		if ch == "" {
			continue
		}
		out = append(out, record.Touch{At: e.Time.UTC(), Channel: ch, Campaign: camp, Kind: record.TouchMarketing, LeadID: leadID})
	}
	slices.SortStableFunc(out, func(a, b record.Touch) int { return a.At.Compare(b.At) })
	if len(out) > 0 {
		out[0].LeadCreated = true
	}
	return out
}

// ByProperty returns the EventTouches channel function that reads the
// channel from the event property prop ("channel", "utm_source") and the
// campaign from campaignProp ("campaign", "utm_campaign"; "" for none);
// events whose channel property is not a non-empty string are skipped.
func ByProperty(prop, campaignProp string) func(scoring.Event) (string, string) {
	return func(e scoring.Event) (string, string) {
		ch, _ := e.Props[prop].(string)
		camp, _ := e.Props[campaignProp].(string)
		return ch, camp
	}
}

// kindJourney is the journey of a deal over the two "channels" marketing
// and sales (the touch kinds), with the touches on or before until (zero:
// all), in time order, consecutive touches of the same kind merged:
// first-touch and participation credit, the only models run on it, depend
// only on the first element and the set of kinds, and merging bounds the
// number of distinct paths the aggregate holds.
func kindJourney(d record.Deal, ts []record.Touch, until time.Time, converted bool) attribution.Journey {
	out := attribution.Journey{ID: d.ID, Converted: converted, Value: money.Zero(d.Amount.Currency)}
	if converted {
		out.Value, out.ConversionTime = d.Amount, until
	}
	for _, t := range ts { // sorted by time
		if !until.IsZero() && t.At.After(until) {
			break
		}
		k := string(t.Kind)
		if n := len(out.Touches); n > 0 && out.Touches[n-1].Channel == k {
			continue
		}
		out.Touches = append(out.Touches, attribution.Touchpoint{Channel: k, Time: t.At})
	}
	return out
}

func sortedTouches(d record.Deal) []record.Touch {
	ts := slices.Clone(d.Touches)
	slices.SortStableFunc(ts, func(a, b record.Touch) int { return a.At.Compare(b.At) })
	return ts
}
