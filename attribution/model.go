package attribution

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

// Errors a model can fail with; test with errors.Is.
var (
	// ErrNeedsTimes: the model needs touch times or milestones (time decay,
	// W-shaped, full-path, a lookback window) but the aggregate was built, at
	// least in part, from the path-aggregated format.
	ErrNeedsTimes = errors.New("model needs touch times and milestones, which path-aggregated input does not have")
	// ErrNoConversions: a data-driven model has nothing to explain.
	ErrNoConversions = errors.New("no attributable conversions")
	// ErrBadWeights: position-based weights are negative, do not sum to 1,
	// or give nothing to the first and last touches.
	ErrBadWeights = errors.New("invalid position weights")
	// ErrBadOrder: a Markov order below 1.
	ErrBadOrder = errors.New("markov order must be at least 1")
	// ErrNotConverged: the iterative Markov solver did not reach its
	// tolerance (only possible for pathological chains).
	ErrNotConverged = errors.New("markov solver did not converge")
)

// A Model credits the conversions and value of an aggregate's journeys to
// channels. Models are immutable values, safe for concurrent use; the set is
// closed (the interface has an unexported method), which keeps Result's
// guarantees checkable. ModelByName builds one from its name.
type Model interface {
	// Name is the model's name, e.g. "last_touch" or "markov" (see Models).
	Name() string
	// NeedsTimes reports whether the model needs touch times and
	// milestones, which path-aggregated input does not have.
	NeedsTimes() bool
	run(ctx context.Context, a *Aggregate) (*Result, error)
}

// A Result is a model's credit per channel.
//
// TotalConversions and TotalValue are the attributable conversions and value
// (journeys with at least one touch); Unattributed holds the rest, so
// TotalConversions + Unattributed.Conversions = Aggregate.Totals().Conversions.
// Every model except participation credits exactly the totals: the
// channels' Conversions sum to TotalConversions (up to float rounding) and
// their Value to TotalValue exactly, to the minor unit (see ChannelCredit).
//
// JSON: a Result encodes with the snake_case names of its fields' tags —
// model, total_conversions, total_value, unattributed, channels, and
// markov or estimate when set — and money as
// {"amount_minor":…,"currency":…}. These names are stable.
type Result struct {
	Model            string      `json:"model"`
	TotalConversions int64       `json:"total_conversions"`
	TotalValue       money.Money `json:"total_value"`
	Unattributed     Totals      `json:"unattributed"`
	// Channels holds every channel of the aggregate, sorted by name, with
	// zero credit where the model gives it none.
	Channels []ChannelCredit `json:"channels"`
	// Markov holds the chain and removal effects of the Markov model; nil
	// for the other models.
	Markov *MarkovDetails `json:"markov,omitempty"`
	// Estimate describes the sampling of a sampled Shapley estimate; nil when
	// the result is exact.
	Estimate *Estimate `json:"estimate,omitempty"`
	// Renamed lists the raw channel names the aggregate's channel map
	// (WithChannelMap) changed, with their touches.
	Renamed []Rename `json:"renamed,omitempty"`
	// Privacy counts what a privacy threshold suppressed; nil without one
	// (see WithPrivacyThreshold).
	Privacy *Privacy `json:"privacy,omitempty"`
	// Bootstrap says how the channels' intervals (CI) were computed; nil
	// without them (see Bootstrap).
	Bootstrap *BootstrapInfo `json:"bootstrap,omitempty"`
	// Warnings are problems with the data that did not stop the model,
	// such as channel names that differ only in case; see Warning.
	Warnings []Warning `json:"warnings,omitempty"`
}

// A Warning is a problem with the data that does not stop a calculation:
// Code is one of the Warn… constants (stable), Channel the channel it is
// about, Msg a sentence for people (not stable).
type Warning struct {
	Code    string `json:"code"`
	Channel string `json:"channel,omitempty"`
	Msg     string `json:"message"`
}

// String returns the warning's message.
func (w Warning) String() string { return w.Msg }

// Codes of warnings.
const (
	// WarnSimilarChannels: channel names that differ only in case or
	// surrounding white space (see ChannelRules).
	WarnSimilarChannels = "similar_channels"
	// WarnSpendWithoutJourneys: the spend names a channel no journey
	// touches (engine.SpendWarnings).
	WarnSpendWithoutJourneys = "spend_without_journeys"
	// WarnJourneysWithoutSpend: journeys touch a channel the spend table
	// does not list; its cost is unknown, not zero.
	WarnJourneysWithoutSpend = "journeys_without_spend"
	// WarnPrivacy: journeys below the privacy threshold were pooled or
	// dropped (see WithPrivacyThreshold).
	WarnPrivacy = "privacy_threshold"
	// WarnCalibration: a lift test that could not calibrate its channel
	// (see Calibrate).
	WarnCalibration = "calibration"
)

// A ChannelCredit is one channel's share of the conversions and value.
//
// Fractional credit: a model's credit is a fraction of a journey's value,
// which ValueMinor keeps (in minor units of the result's currency, as exact
// as float64 allows). Value is that credit as money: the result's
// TotalValue allocated over the channels in proportion to their
// ValueMinor by the largest-remainder (Hamilton) method — each channel gets
// the floor of its credit, and the minor units left over go one each to
// the channels with the largest fractional remainders, ties to the channel
// first by name — so the channels' Values add up to TotalValue exactly and
// each differs from its ValueMinor by less than one minor unit (below 2^53
// minor units, where float64 credit is exact to well under a unit).
// Participation, which does not sum to the total, credits each channel the
// exact value of the converting journeys it took part in.
type ChannelCredit struct {
	Channel     string      `json:"channel"`
	Conversions float64     `json:"conversions"` // credited conversions
	Value       money.Money `json:"value"`       // credited value, allocated to the minor unit
	ValueMinor  float64     `json:"value_minor"` // credited value before rounding, minor units
	// Share is Conversions / TotalConversions (0 when there are none). For
	// participation it is the fraction of converting journeys the channel
	// took part in, so shares need not sum to 1.
	Share float64 `json:"share"`
	// RemovalEffect and ValueRemovalEffect are set by the Markov model only:
	// 1 − P(conversion without the channel)/P(conversion), and the same ratio
	// for the expected conversion value. JSON omits them when zero.
	RemovalEffect      float64 `json:"removal_effect,omitempty"`
	ValueRemovalEffect float64 `json:"value_removal_effect,omitempty"`
	// CI is the bootstrap confidence interval of the credit; nil unless
	// the result came from Bootstrap.
	CI *Interval `json:"ci,omitempty"`
}

// An Estimate says a result was estimated by sampling, and how.
type Estimate struct {
	Samples int    `json:"samples"` // permutations sampled per converting channel set
	Seed    uint64 `json:"seed"`    // seed of the pseudo-random generator
}

// Run credits the aggregate's conversions with the model. It honours ctx
// cancellation and never returns NaN or infinite credits.
func Run(ctx context.Context, a *Aggregate, m Model) (res *Result, err error) {
	defer diag.Recover(&err, "attribution: Run")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("attribution: nil model")
	}
	if a == nil {
		// A nil aggregate is empty, like the zero Aggregate.
		a = &Aggregate{}
	}
	v := a.view()
	r, err := m.run(ctx, v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Name(), err)
	}
	r.Renamed = a.Renamed()
	r.Warnings = append(r.Warnings, similarChannels(v.chans)...)
	return r, nil
}

// newResult returns a result with every channel of a, zero credit.
func newResult(name string, a *Aggregate) *Result {
	at := a.attributable()
	return &Result{
		Model:            name,
		TotalConversions: at.conversions,
		TotalValue:       money.New(at.value, a.Currency()),
		Unattributed:     a.Unattributed(),
	}
}

// finish turns per-channel-id credits into the sorted channel list, with
// the value allocated to the minor unit (see ChannelCredit). exact, when
// not nil, holds each channel's credited value in whole minor units
// instead (participation).
func (r *Result) finish(a *Aggregate, cr []credit, exact []int64) *Result {
	r.Channels = make([]ChannelCredit, len(a.chans))
	for id, name := range a.chans {
		c := ChannelCredit{Channel: name}
		if id < len(cr) {
			c.Conversions, c.ValueMinor = cr[id].conv, cr[id].value
		}
		if r.TotalConversions > 0 {
			c.Share = c.Conversions / float64(r.TotalConversions)
		}
		r.Channels[id] = c
	}
	if exact != nil {
		for id := range r.Channels {
			r.Channels[id].Value = money.New(exact[id], r.TotalValue.Currency)
		}
	}
	sort.Slice(r.Channels, func(i, j int) bool { return r.Channels[i].Channel < r.Channels[j].Channel })
	if exact == nil {
		q := make([]float64, len(r.Channels))
		for i, c := range r.Channels {
			q[i] = c.ValueMinor
		}
		for i, v := range allocate(q, r.TotalValue.Amount) {
			r.Channels[i].Value = money.New(v, r.TotalValue.Currency)
		}
	}
	return r
}

// allocate rounds the credits q (minor units) to whole minor units that
// add up to total exactly, by the largest-remainder method: each credit
// first gets its floor, then the units left over go one each to the
// largest remainders, ties to the earlier credit. When float error (or a
// total beyond 2^53) leaves more units over than there are credits, or
// fewer than none, every credit takes its even part first.
func allocate(q []float64, total int64) []int64 {
	n := len(q)
	out := make([]int64, n)
	if n == 0 {
		return out
	}
	rem := make([]float64, n)
	left := new(big.Int).SetInt64(total)
	for i, x := range q {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			x = 0 // cannot happen: Run never yields them
		}
		fl := math.Floor(x)
		switch {
		case fl >= math.MaxInt64:
			out[i] = math.MaxInt64
		case fl <= math.MinInt64:
			out[i] = math.MinInt64
		default:
			out[i] = int64(fl)
			rem[i] = x - fl
		}
		left.Sub(left, big.NewInt(out[i]))
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	// left = n·each + extra, 0 ≤ extra < n (Euclidean division).
	each, extra := new(big.Int).DivMod(left, big.NewInt(int64(n)), new(big.Int))
	if !each.IsInt64() {
		return out // totals this far apart cannot come from a model
	}
	for i := range out {
		out[i] += each.Int64()
	}
	for k := int64(0); k < extra.Int64(); k++ {
		out[order[k]]++
	}
	return out
}

// Channel returns the credit of the named channel, if the result has it.
func (r *Result) Channel(name string) (ChannelCredit, bool) {
	i := sort.Search(len(r.Channels), func(i int) bool { return r.Channels[i].Channel >= name })
	if i < len(r.Channels) && r.Channels[i].Channel == name {
		return r.Channels[i], true
	}
	return ChannelCredit{}, false
}
