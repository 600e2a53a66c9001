package attribution

import (
	"encoding/binary"
	"fmt"
)

// A PrivacyRule says what a privacy threshold does with the journeys of
// rare paths (see WithPrivacyThreshold).
type PrivacyRule int

const (
	// DropRare leaves the journeys of rare units out of the model, as
	// Google Ads Data Hub's aggregation check filters out rows of fewer
	// than its threshold of users: their conversions and value count as
	// unattributed.
	DropRare PrivacyRule = iota
	// PoolRare merges the journeys of all rare units into one path of the
	// single channel PooledChannel, as Amazon Marketing Cloud aggregates
	// the rows below its threshold into one row with the dimensions
	// withheld: their conversions stay in the totals, credited to
	// PooledChannel.
	PoolRare
)

// PooledChannel is the channel PoolRare credits the rare journeys to.
const PooledChannel = "(pooled)"

// String returns "drop" or "pool", the CLI's --privacy names.
func (r PrivacyRule) String() string {
	if r == PoolRare {
		return "pool"
	}
	return "drop"
}

// MarshalText encodes the rule by its name.
func (r PrivacyRule) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes "drop" or "pool".
func (r *PrivacyRule) UnmarshalText(b []byte) error {
	v, err := ParsePrivacyRule(string(b))
	if err == nil {
		*r = v
	}
	return err
}

// ParsePrivacyRule returns the rule named s: "drop" or "pool".
func ParsePrivacyRule(s string) (PrivacyRule, error) {
	switch s {
	case "drop":
		return DropRare, nil
	case "pool":
		return PoolRare, nil
	}
	return 0, fmt.Errorf("attribution: unknown privacy rule %q (want drop or pool)", s)
}

// WithPrivacyThreshold makes the data-driven models (Markov, Shapley,
// ShapleyLocalRate) ignore the detail of units followed by fewer than
// minJourneys journeys: a unit with exactly minJourneys journeys is kept.
// The unit is what the model learns from: the distinct channel path for
// Markov, the channel set for the Shapley models. rule says whether the
// rare journeys are dropped (DropRare, the default) or pooled (PoolRare).
// The result's Privacy counts what was suppressed, and a WarnPrivacy
// warning says so. minJourneys ≤ 1 is no threshold. The rule-based models
// ignore the option: they need no more than each journey's own path.
func WithPrivacyThreshold(minJourneys int64, rule PrivacyRule) ModelOption {
	return func(c *modelConfig) { c.minJourneys, c.privacy = minJourneys, rule }
}

// Privacy reports what a privacy threshold suppressed.
type Privacy struct {
	MinJourneys int64       `json:"min_journeys"`
	Rule        PrivacyRule `json:"rule"`
	Unit        string      `json:"unit"`  // "path" or "channel_set"
	Units       int64       `json:"units"` // rare paths or channel sets
	Totals
}

// private returns the view with the units below the threshold dropped or
// pooled, and what was suppressed; a itself when nothing is.
func (a *Aggregate) private(min int64, rule PrivacyRule, bySet bool) (*Aggregate, *Privacy) {
	unit := "path"
	if bySet {
		unit = "channel_set"
	}
	info := &Privacy{MinJourneys: min, Rule: rule, Unit: unit}
	if min <= 1 {
		return a, nil
	}
	// Journeys per unit.
	unitOf := make([]string, len(a.paths))
	per := map[string]int64{}
	var set []uint16
	var kb []byte
	for i, p := range a.paths {
		u := p.key
		if bySet {
			set = channelSet(set[:0], p.key)
			kb = kb[:0]
			for _, id := range set {
				kb = binary.LittleEndian.AppendUint16(kb, id)
			}
			u = string(kb)
		}
		unitOf[i] = u
		per[u] += p.journeys
	}
	for _, n := range per {
		if n < min {
			info.Units++
		}
	}
	if info.Units == 0 {
		return a, info
	}
	b := &Aggregate{halfLife: a.halfLife, lookback: a.lookback, period: a.period, currency: a.currency, currencyOK: true,
		noTimes: a.noTimes, total: a.total, unattributed: a.unattributed}
	for _, name := range a.chans {
		if _, err := b.channelExact(name); err != nil {
			return a, nil // cannot happen: a has these channels already
		}
	}
	var rare counts
	for i, p := range a.paths {
		if per[unitOf[i]] < min {
			rare.add(counts{p.journeys, p.conversions, p.value})
			continue
		}
		b.addPathKey([]byte(p.key), p.journeys, p.conversions, p.value)
	}
	info.Totals = rare.totals(a.Currency())
	if rule == PoolRare {
		id, err := b.channelExact(PooledChannel)
		if err != nil {
			rule = DropRare // 65535 channels already: nothing to pool into
		} else {
			b.addPathKey(binary.LittleEndian.AppendUint16(nil, id), rare.journeys, rare.conversions, rare.value)
		}
	}
	if rule == DropRare {
		b.unattributed.add(rare)
	}
	info.Rule = rule
	return b.view(), info
}

// privacyWarning is the warning for what p suppressed.
func privacyWarning(p *Privacy) []Warning {
	if p == nil || p.Units == 0 {
		return nil
	}
	what := "dropped (counted as unattributed)"
	if p.Rule == PoolRare {
		what = "pooled into channel " + PooledChannel
	}
	unit := "paths"
	if p.Unit == "channel_set" {
		unit = "channel sets"
	}
	return []Warning{{Code: WarnPrivacy, Msg: fmt.Sprintf("%d %s with fewer than %d journeys (%d journeys, %d conversions) %s",
		p.Units, unit, p.MinJourneys, p.Journeys, p.Conversions, what)}}
}
