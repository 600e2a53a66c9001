package attribution

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Spend is what each channel cost, in integer minor units of the same
// currency as the conversion values.
type Spend map[string]int64

// ReadSpend reads a spend table: CSV with the header "channel,cost_minor"
// (columns in any order), one row per channel, cost a non-negative integer
// in minor units. A channel listed twice is an error. name is used in error
// messages.
func ReadSpend(ctx context.Context, r io.Reader, name string) (Spend, error) {
	lr := newLineReader(r, name)
	pos, ncols, err := lr.header([]string{"channel", "cost_minor"}, nil)
	if err != nil {
		return nil, err
	}
	s := Spend{}
	lines := map[string]int{}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := lr.next()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return nil, err
		}
		if err := lr.split(b); err != nil {
			return nil, err
		}
		if len(lr.fields) != ncols {
			return nil, &ParseError{File: name, Line: lr.line, Msg: fmt.Sprintf("%d fields, want %d", len(lr.fields), ncols), Err: ErrSyntax}
		}
		ch := strings.TrimSpace(string(lr.fields[pos[0]]))
		if ch == "" {
			return nil, lr.errf("channel", "empty")
		}
		if l, dup := lines[ch]; dup {
			return nil, lr.errf("channel", "%q is listed twice (first on line %d)", ch, l)
		}
		cs := strings.TrimSpace(string(lr.fields[pos[1]]))
		cost, err := strconv.ParseInt(cs, 10, 64)
		if err != nil || cost < 0 {
			return nil, lr.errf("cost_minor", "%q is not a non-negative integer (minor units)", cs)
		}
		s[ch], lines[ch] = cost, lr.line
	}
}

// A Return is a channel's credited results set against its cost. A ratio
// whose denominator is zero is nil, never infinite or NaN.
type Return struct {
	Channel     string
	Cost        int64   // minor units; 0 when the channel is not in the spend table
	Conversions float64 // credited conversions
	Value       float64 // credited value, minor units
	// ROAS is Value/Cost (return on ad spend); nil when Cost is 0.
	ROAS *float64
	// ROI is (Value − Cost)/Cost; nil when Cost is 0.
	ROI *float64
	// CostPerConversion is Cost/Conversions; nil when the channel has no
	// positive credited conversions.
	CostPerConversion *float64
}

// Returns sets the result's credit against spend: one Return per channel of
// the result or the spend table, sorted by channel.
func (r *Result) Returns(spend Spend) []Return {
	var out []Return
	for _, c := range r.Channels {
		out = append(out, Return{Channel: c.Channel, Conversions: c.Conversions, Value: c.Value})
	}
	for ch := range spend {
		if _, ok := r.Channel(ch); !ok {
			out = append(out, Return{Channel: ch})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Channel < out[j].Channel })
	for i := range out {
		ret := &out[i]
		ret.Cost = spend[ret.Channel]
		if ret.Cost > 0 {
			c := float64(ret.Cost)
			roas, roi := ret.Value/c, (ret.Value-c)/c
			ret.ROAS, ret.ROI = &roas, &roi
		}
		if ret.Conversions > 0 {
			cpc := float64(ret.Cost) / ret.Conversions
			ret.CostPerConversion = &cpc
		}
	}
	return out
}
