package attribution

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

// Spend is what each channel cost, in the currency of the conversion
// values. JSON: an object from channel to money.
type Spend map[string]money.Money

var spendColumns = []csvio.Column{
	{Name: "channel", Required: true},
	{Name: "cost_minor", Required: true},
	{Name: "currency"},
}

// ReadSpend reads a spend table: CSV with the header "channel,cost_minor"
// (columns in any order; an optional currency column, as in the touch
// format), one row per channel, cost a non-negative integer in minor units
// of the input's currency (WithCurrency, default DefaultCurrency). A channel
// listed twice is an error. With WithChannelMap the names are normalised,
// and rows of different raw names that become one channel add up (cost by
// campaign, say). name is used in error messages; lines are read as by
// ReadTouches (MaxRecordBytes bounds a record), and every bad line is
// reported.
func ReadSpend(ctx context.Context, r io.Reader, name string, opts ...Option) (s Spend, err error) {
	defer diag.Recover(&err, "attribution: ReadSpend")
	c := newConfig(opts)
	t, err := openTable(ctx, r, name, c, spendColumns)
	if err != nil {
		return nil, err
	}
	s = Spend{}
	lines := map[string]int{}
	errs := errorList{name: name}
	row := func() *Error {
		if err := t.cr.CheckWidth(t.rec, t.h); err != nil {
			return err.(*Error)
		}
		ch := strings.TrimSpace(string(t.field(0)))
		if ch == "" {
			return t.errf(0, ErrSyntax, "empty")
		}
		if l, dup := lines[ch]; dup {
			return t.errf(0, ErrSyntax, "%q is listed twice (first on line %d)", ch, l)
		}
		cs := strings.TrimSpace(string(t.field(1)))
		cost, err := strconv.ParseInt(cs, 10, 64)
		if err != nil || cost < 0 {
			return t.errf(1, ErrSyntax, "%q is not a non-negative integer (minor units)", cs)
		}
		if e := t.checkCurrency(2); e != nil {
			return e
		}
		lines[ch] = t.rec.Line
		if c.norm != nil {
			if ch = c.norm.Normalize(ch); ch == "" {
				return t.errf(0, ErrSyntax, "empty after normalisation")
			}
		}
		prev := s[ch].Amount
		if prev > math.MaxInt64-cost {
			return t.errf(1, ErrOverflow, "the cost of %q overflows int64", ch)
		}
		s[ch] = money.New(prev+cost, t.cur)
		return nil
	}
	if err := t.each(ctx, &errs, row); err != nil {
		return nil, err
	}
	return s, nil
}

// A Return is a channel's credited results set against its cost. A ratio
// whose denominator is zero is nil, never infinite or NaN. The ratios use
// the unrounded credit (ValueMinor), so they do not depend on how the
// credit was rounded to the minor unit.
//
// A channel the spend table does not list has no Cost (nil: unknown, not
// free) and no ratios; a channel of the spend table that no journey touches
// has its Cost, NoJourneys set and no ratios (its return is unknown, not
// −100%). Report adds a warning for each.
type Return struct {
	Channel string       `json:"channel"`
	Cost    *money.Money `json:"cost,omitempty"` // nil when the channel is not in the spend table
	// NoJourneys: the channel is in the spend table but no journey touches it.
	NoJourneys  bool        `json:"no_journeys,omitempty"`
	Conversions float64     `json:"conversions"` // credited conversions
	Value       money.Money `json:"value"`       // credited value (ChannelCredit.Value)
	ValueMinor  float64     `json:"value_minor"` // credited value before rounding, minor units
	// ROAS is ValueMinor/Cost (return on ad spend); nil when Cost is 0.
	ROAS *float64 `json:"roas,omitempty"`
	// ROI is (ValueMinor − Cost)/Cost; nil when Cost is 0.
	ROI *float64 `json:"roi,omitempty"`
	// CostPerConversion is Cost/Conversions in minor units; nil when the
	// channel has no positive credited conversions.
	CostPerConversion *float64 `json:"cost_per_conversion_minor,omitempty"`
}

// Returns sets the result's credit against spend: one Return per channel of
// the result or the spend table, sorted by channel. Spend in a currency
// other than the result's is an error matching money.ErrCurrencyMismatch.
func (r *Result) Returns(spend Spend) (out []Return, err error) {
	defer diag.Recover(&err, "attribution: Result.Returns")
	cur := r.TotalValue.Currency
	for ch, c := range spend {
		if c.Currency != cur {
			return nil, fmt.Errorf("attribution: spend on %q in %q, but the result is in %s: %w", ch, string(c.Currency), cur, money.ErrCurrencyMismatch)
		}
		if c.Amount < 0 {
			return nil, fmt.Errorf("attribution: negative spend %v on %q: %w", c, ch, money.ErrInvalidInput)
		}
	}
	out = []Return{}
	for _, c := range r.Channels {
		out = append(out, Return{Channel: c.Channel, Conversions: c.Conversions, Value: c.Value, ValueMinor: c.ValueMinor})
	}
	for ch := range spend {
		if _, ok := r.Channel(ch); !ok {
			out = append(out, Return{Channel: ch, Value: money.Zero(cur), NoJourneys: true})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Channel < out[j].Channel })
	for i := range out {
		ret := &out[i]
		c, ok := spend[ret.Channel]
		if !ok {
			continue // cost unknown: no ratios
		}
		ret.Cost = &c
		if ret.NoJourneys {
			continue
		}
		if c.Amount > 0 {
			cf := float64(c.Amount)
			roas, roi := ret.ValueMinor/cf, (ret.ValueMinor-cf)/cf
			ret.ROAS, ret.ROI = &roas, &roi
		}
		if ret.Conversions > 0 {
			cpc := float64(c.Amount) / ret.Conversions
			ret.CostPerConversion = &cpc
		}
	}
	return out, nil
}

// SpendWarnings reports the mismatches between the result's channels and
// a spend table: a WarnSpendWithoutJourneys warning for each channel with
// spend that no journey touches, and a WarnJourneysWithoutSpend warning for
// each channel of the journeys the table does not list, sorted by channel.
func (r *Result) SpendWarnings(spend Spend) []Warning {
	var out []Warning
	for _, c := range r.Channels {
		if _, ok := spend[c.Channel]; !ok {
			out = append(out, Warning{Code: WarnJourneysWithoutSpend, Channel: c.Channel,
				Msg: fmt.Sprintf("journeys touch channel %q, which has no spend: its cost is unknown, so its return is not computed", c.Channel)})
		}
	}
	for ch, c := range spend {
		if _, ok := r.Channel(ch); !ok {
			out = append(out, Warning{Code: WarnSpendWithoutJourneys, Channel: ch,
				Msg: fmt.Sprintf("spend of %v on channel %q, which no journey touches: its return is not computed", c, ch)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Channel != out[j].Channel {
			return out[i].Channel < out[j].Channel
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// A Report is a Result with its channels' returns on a spend table, the
// shape `revengine attribute --spend --json` prints. JSON: the Result's
// fields (its warnings followed by the SpendWarnings), then returns.
type Report struct {
	*Result
	Returns []Return `json:"returns"`
}

// Report returns r with its returns on spend (see Returns).
func (r *Result) Report(spend Spend) (*Report, error) {
	rets, err := r.Returns(spend)
	if err != nil {
		return nil, err
	}
	cp := *r
	cp.Warnings = append(append([]Warning(nil), r.Warnings...), r.SpendWarnings(spend)...)
	return &Report{Result: &cp, Returns: rets}, nil
}
