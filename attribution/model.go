package attribution

import (
	"context"
	"errors"
	"fmt"
	"sort"
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
// guarantees checkable.
type Model interface {
	// Name is the model's CLI name, e.g. "last_touch" or "markov".
	Name() string
	run(ctx context.Context, a *Aggregate) (*Result, error)
}

// A Result is a model's credit per channel.
//
// TotalConversions and TotalValue are the attributable conversions and value
// (journeys with at least one touch); Unattributed holds the rest, so
// TotalConversions + Unattributed.Conversions = Aggregate.Totals().Conversions.
// Every model except participation credits exactly the totals (up to float
// rounding): the channels' Conversions sum to TotalConversions and their
// Value to TotalValue.
type Result struct {
	Model            string
	TotalConversions int64
	TotalValue       int64 // minor units
	Unattributed     Totals
	// Channels holds every channel of the aggregate, sorted by name, with
	// zero credit where the model gives it none.
	Channels []ChannelCredit
	// Markov holds the chain and removal effects of the Markov model; nil
	// for the other models.
	Markov *MarkovDetails
	// Estimate describes the sampling of a sampled Shapley estimate; nil when
	// the result is exact.
	Estimate *Estimate
}

// A ChannelCredit is one channel's share of the conversions and value.
type ChannelCredit struct {
	Channel     string
	Conversions float64 // credited conversions
	Value       float64 // credited value, minor units (fractional)
	// Share is Conversions / TotalConversions (0 when there are none). For
	// participation it is the fraction of converting journeys the channel
	// took part in, so shares need not sum to 1.
	Share float64
	// RemovalEffect and ValueRemovalEffect are set by the Markov model only:
	// 1 − P(conversion without the channel)/P(conversion), and the same ratio
	// for the expected conversion value.
	RemovalEffect      float64
	ValueRemovalEffect float64
}

// An Estimate says a result was estimated by sampling, and how.
type Estimate struct {
	Samples int    // permutations sampled per converting channel set
	Seed    uint64 // seed of the pseudo-random generator
}

// Run credits the aggregate's conversions with the model. It honours ctx
// cancellation and never returns NaN or infinite credits.
func Run(ctx context.Context, a *Aggregate, m Model) (*Result, error) {
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
	r, err := m.run(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Name(), err)
	}
	return r, nil
}

// newResult returns a result with every channel of a, zero credit.
func newResult(name string, a *Aggregate) *Result {
	at := a.attributable()
	return &Result{
		Model:            name,
		TotalConversions: at.Conversions,
		TotalValue:       at.Value,
		Unattributed:     a.unattributed,
	}
}

// finish turns per-channel-id credits into the sorted channel list.
func (r *Result) finish(a *Aggregate, cr []credit) *Result {
	r.Channels = make([]ChannelCredit, len(a.chans))
	for id, name := range a.chans {
		c := ChannelCredit{Channel: name}
		if id < len(cr) {
			c.Conversions, c.Value = cr[id].conv, cr[id].value
		}
		if r.TotalConversions > 0 {
			c.Share = c.Conversions / float64(r.TotalConversions)
		}
		r.Channels[id] = c
	}
	sort.Slice(r.Channels, func(i, j int) bool { return r.Channels[i].Channel < r.Channels[j].Channel })
	return r
}

// Channel returns the credit of the named channel, if the result has it.
func (r *Result) Channel(name string) (ChannelCredit, bool) {
	i := sort.Search(len(r.Channels), func(i int) bool { return r.Channels[i].Channel >= name })
	if i < len(r.Channels) && r.Channels[i].Channel == name {
		return r.Channels[i], true
	}
	return ChannelCredit{}, false
}
