package engine

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/wire"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

// ErrEncoding marks bytes that are not a Builder's binary encoding, or the
// encoding of a Builder with another Config. It wraps ErrInvalidInput.
var ErrEncoding = fmt.Errorf("%w: not an engine builder encoding", ErrInvalidInput)

// ErrIncompatible marks a Merge of builders with different configurations.
// It wraps ErrInvalidInput.
var ErrIncompatible = fmt.Errorf("%w: builders with different configurations", ErrInvalidInput)

// cycleSum is the exact sum of won deals' sales cycles: seconds and the
// nanoseconds left over (ns in [0, 1e9)). Integer sums do not depend on the
// order deals were added or builders merged, as a float sum of days would.
type cycleSum struct{ sec, ns int64 }

func (c *cycleSum) add(d time.Duration) error {
	s, n := int64(d/time.Second), int64(d%time.Second)
	return c.addParts(s, n)
}

func (c *cycleSum) addParts(s, n int64) error {
	n += c.ns
	if n >= 1e9 {
		s, n = s+1, n-1e9
	}
	if err := addTo(&c.sec, s); err != nil {
		return err
	}
	c.ns = n
	return nil
}

// mean is the sum divided by n, truncated to the nanosecond.
func (c cycleSum) mean(n int64) time.Duration {
	t := new(big.Int).Mul(big.NewInt(c.sec), big.NewInt(1e9))
	t.Add(t, big.NewInt(c.ns))
	t.Quo(t, big.NewInt(n))
	if !t.IsInt64() {
		return math.MaxInt64
	}
	return time.Duration(t.Int64())
}

// fingerprint is the part of a Config that two builders must share to
// merge, as text: every field except the functions it cannot compare
// (Model and ROI are compared by name and printed value, Rules by hash).
func (c Config) fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "currency=%s period=%s stages=%q exits=%q", c.Currency, c.Period, c.Stages, c.Exits)
	if c.Model != nil {
		fmt.Fprintf(&b, " model=%s", c.Model.Name())
	}
	fmt.Fprintf(&b, " roi=%v cac=%s margin=%v mrr=%s", c.ROI, c.CAC, c.GrossMargin, c.MRRMethod)
	if !c.AsOf.IsZero() {
		fmt.Fprintf(&b, " as_of=%d", c.AsOf.UnixNano())
	}
	for _, k := range slices.Sorted(maps.Keys(c.SLA)) {
		fmt.Fprintf(&b, " sla[%q]=%d", k, c.SLA[k])
	}
	if c.Rules != nil {
		fmt.Fprintf(&b, " rules=%s", c.Rules.Hash())
	}
	return b.String()
}

// Merge adds everything o holds to b, so that adding records to several
// builders and merging them gives the view of one builder that had all the
// records: funnel, speed-to-lead, pipeline, revenue, attribution, spend,
// MRR and the survey. The records of one lead, one deal or one customer
// must all be in one builder (a lead's changes are read in the order they
// were added to it; o's come after b's). Both builders must have been made
// by New with the same Config (ErrIncompatible otherwise; the functions in
// it, Model and ROI, are compared by name and printed value, Rules by its
// hash). A deal in both is an error naming it, and so is a survey set on
// both. o is unchanged; a nil o adds nothing. On an error b is unchanged,
// except for an attribution aggregate that overflows or exceeds its
// channel limit while merging (then b holds part of o and should be
// dropped).
func (b *Builder) Merge(o *Builder) (err error) {
	defer diag.Recover(&err, "engine: Builder.Merge")
	if o == nil || o == b {
		if o == b && b != nil {
			return fmt.Errorf("engine: %w: a builder merged with itself", ErrInvalidInput)
		}
		return nil
	}
	if fa, fb := b.cfg.fingerprint(), o.cfg.fingerprint(); fa != fb {
		return fmt.Errorf("engine: %w: %s / %s", ErrIncompatible, fa, fb)
	}
	if b.survey != nil && o.survey != nil {
		return fmt.Errorf("engine: %w: both builders have a survey report", ErrInvalidInput)
	}
	// Check everything that can fail before changing b.
	for id := range o.dealIDs {
		if _, dup := b.dealIDs[id]; dup {
			return &record.Error{ID: id, Err: ErrInvalidInput, Msg: "deal in both merged builders"}
		}
	}
	for p, od := range o.periods {
		bd := b.periods[p]
		if bd == nil {
			continue
		}
		if err := checkPeriodMerge(bd, od); err != nil {
			return fmt.Errorf("engine: period %s: %w", p, err)
		}
	}
	remap := make([]int32, len(o.names))
	for i, s := range o.names {
		remap[i] = b.intern(s)
	}
	b.changes = slices.Grow(b.changes, len(o.changes))
	for _, c := range o.changes {
		c.lead, c.from, c.to, c.owner, c.route, c.channel = remap[c.lead], remap[c.from], remap[c.to], remap[c.owner], remap[c.route], remap[c.channel]
		b.changes = append(b.changes, c)
	}
	for id := range o.dealIDs {
		b.dealIDs[id] = struct{}{}
	}
	b.events = append(b.events, o.events...)
	b.latest = max(b.latest, o.latest)
	b.spends += o.spends
	if b.survey == nil {
		b.survey = o.survey
	}
	for _, p := range slices.SortedFunc(maps.Keys(o.periods), func(x, y record.Period) int { return x.Start.Compare(y.Start) }) {
		if err := mergePeriod(b.period(p), o.periods[p]); err != nil {
			return fmt.Errorf("engine: period %s: %w", p, err)
		}
	}
	return nil
}

// checkPeriodMerge reports an overflow mergePeriod would meet.
func checkPeriodMerge(b, o *periodData) error {
	sums := [][2]int64{{b.wonDeals, o.wonDeals}, {b.createdDeals, o.createdDeals}, {b.lostDeals, o.lostDeals},
		{b.wonAmount, o.wonAmount}, {b.pipeAmount, o.pipeAmount}, {b.spendMarketing, o.spendMarketing},
		{b.spendSales, o.spendSales}}
	// The cycle seconds may take one more from the nanoseconds' carry.
	if cyc := b.wonCycle; cyc.addParts(o.wonCycle.sec, o.wonCycle.ns) != nil {
		return fmt.Errorf("%w: sales cycle total overflows", ErrOverflow)
	}
	for k, v := range o.spendChannel {
		sums = append(sums, [2]int64{b.spendChannel[k], v})
	}
	for k, v := range o.spendCamp {
		sums = append(sums, [2]int64{b.spendCamp[k], v})
	}
	for _, s := range sums {
		x := s[0]
		if err := addTo(&x, s[1]); err != nil {
			return err
		}
	}
	for _, pair := range [][2]*attribution.Aggregate{{b.byChannel, o.byChannel}, {b.byCampaign, o.byCampaign}, {b.kindRevenue, o.kindRevenue}, {b.kindPipe, o.kindPipe}} {
		x, y := pair[0].Totals(), pair[1].Totals()
		for _, s := range [][2]int64{{x.Journeys, y.Journeys}, {x.Conversions, y.Conversions}, {x.Value.Amount, y.Value.Amount}} {
			v := s[0]
			if err := addTo(&v, s[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

func mergePeriod(b, o *periodData) error {
	for _, pair := range [][2]*attribution.Aggregate{{b.byChannel, o.byChannel}, {b.byCampaign, o.byCampaign}, {b.kindRevenue, o.kindRevenue}, {b.kindPipe, o.kindPipe}} {
		if err := pair[0].Merge(pair[1]); err != nil {
			return err
		}
	}
	b.wonDeals += o.wonDeals
	b.createdDeals += o.createdDeals
	b.lostDeals += o.lostDeals
	b.wonAmount += o.wonAmount
	b.pipeAmount += o.pipeAmount
	b.spendMarketing += o.spendMarketing
	b.spendSales += o.spendSales
	for k, v := range o.spendChannel {
		b.spendChannel[k] += v
	}
	for k, v := range o.spendCamp {
		b.spendCamp[k] += v
	}
	return b.wonCycle.addParts(o.wonCycle.sec, o.wonCycle.ns)
}

const (
	builderMagic   = "RVEN"
	builderVersion = 1
)

// MarshalBinary encodes the builder (encoding.BinaryMarshaler): the
// fingerprint of its Config, the interned names, the compact stage
// changes, per period the attribution aggregates (their own binary
// encoding: distinct paths, no touches) and the counts and sums, the deal
// ids, the subscription events, the latest change time and the count of
// spend rows. The same
// builder gives the same bytes. A builder with a survey report cannot be
// encoded (ErrInvalidInput): set the survey on the merged builder.
func (b *Builder) MarshalBinary() (data []byte, err error) {
	defer diag.Recover(&err, "engine: Builder.MarshalBinary")
	if b.survey != nil {
		return nil, fmt.Errorf("engine: %w: a builder with a survey report has no binary encoding (set the survey after merging)", ErrInvalidInput)
	}
	out := []byte(builderMagic)
	out = append(out, builderVersion)
	out = wire.AppendString(out, b.cfg.fingerprint())
	out = binary.AppendUvarint(out, uint64(len(b.names)))
	for _, s := range b.names {
		out = wire.AppendString(out, s)
	}
	out = binary.AppendUvarint(out, uint64(len(b.changes)))
	for _, c := range b.changes {
		for _, id := range []int32{c.lead, c.from, c.to, c.owner, c.route, c.channel} {
			out = binary.AppendUvarint(out, uint64(id))
		}
		out = binary.AppendVarint(out, c.at)
		out = binary.AppendVarint(out, c.deadline)
		out = binary.AppendUvarint(out, uint64(c.line))
	}
	periods := slices.SortedFunc(maps.Keys(b.periods), func(x, y record.Period) int { return x.Start.Compare(y.Start) })
	out = binary.AppendUvarint(out, uint64(len(periods)))
	for _, p := range periods {
		pd := b.periods[p]
		out = binary.AppendVarint(out, p.Start.UnixNano())
		for _, a := range []*attribution.Aggregate{pd.byChannel, pd.byCampaign, pd.kindRevenue, pd.kindPipe} {
			ab, err := a.MarshalBinary()
			if err != nil {
				return nil, err
			}
			out = wire.AppendString(out, string(ab))
		}
		for _, v := range []int64{pd.wonDeals, pd.createdDeals, pd.lostDeals, pd.wonCycle.sec, pd.wonCycle.ns,
			pd.wonAmount, pd.pipeAmount, pd.spendMarketing, pd.spendSales} {
			out = binary.AppendUvarint(out, uint64(v))
		}
		for _, m := range []map[string]int64{pd.spendChannel, pd.spendCamp} {
			out = binary.AppendUvarint(out, uint64(len(m)))
			for _, k := range slices.Sorted(maps.Keys(m)) {
				out = wire.AppendString(out, k)
				out = binary.AppendUvarint(out, uint64(m[k]))
			}
		}
	}
	ids := slices.Sorted(maps.Keys(b.dealIDs))
	out = binary.AppendUvarint(out, uint64(len(ids)))
	for _, id := range ids {
		out = wire.AppendString(out, id)
	}
	out = binary.AppendUvarint(out, uint64(len(b.events)))
	for _, e := range b.events {
		out = wire.AppendString(out, e.CustomerID)
		out = binary.AppendVarint(out, e.Date.UnixNano())
		out = binary.AppendVarint(out, e.MRR.Amount)
		out = binary.AppendUvarint(out, uint64(e.Line))
	}
	out = binary.AppendVarint(out, b.latest)
	out = binary.AppendUvarint(out, uint64(b.spends))
	return out, nil
}

// UnmarshalBinary replaces the records of b by those data encodes
// (encoding.BinaryUnmarshaler). b must come from New with the Config of the
// encoded builder (ErrEncoding otherwise: the Config holds functions, so it
// is not in the encoding, only checked). Bytes MarshalBinary did not write
// — another magic or version, truncated, trailing bytes, out-of-range
// names, periods, times or amounts — return an error matching ErrEncoding
// and leave b unchanged; no allocation exceeds a small multiple of
// len(data).
func (b *Builder) UnmarshalBinary(data []byte) (err error) {
	defer diag.Recover(&err, "engine: Builder.UnmarshalBinary")
	if b == nil || b.index == nil {
		return fmt.Errorf("engine: %w: UnmarshalBinary needs a Builder made by New", ErrInvalidInput)
	}
	if len(data) < len(builderMagic)+1 || string(data[:len(builderMagic)]) != builderMagic {
		return fmt.Errorf("%w: no %q prefix", ErrEncoding, builderMagic)
	}
	if v := data[len(builderMagic)]; v != builderVersion {
		return fmt.Errorf("%w: version %d (this build reads %d)", ErrEncoding, v, builderVersion)
	}
	r := wire.NewDecoder(data[len(builderMagic)+1:], ErrEncoding)
	if fp := r.Str("string"); r.Err == nil && fp != b.cfg.fingerprint() {
		return fmt.Errorf("%w: encoded with another configuration: %s, this builder has %s", ErrEncoding, fp, b.cfg.fingerprint())
	}
	d := &Builder{cfg: b.cfg, rules: b.rules, index: map[string]int32{}, periods: map[record.Period]*periodData{}, dealIDs: map[string]struct{}{}}
	nn := r.Count("elements", 1)
	if r.Err != nil {
		return r.Err
	}
	d.names = make([]string, 0, nn)
	for range nn {
		s := r.Str("string")
		if r.Err != nil {
			return r.Err
		}
		if _, dup := d.index[s]; dup {
			return fmt.Errorf("%w: name %q repeated", ErrEncoding, s)
		}
		d.index[s] = int32(len(d.names))
		d.names = append(d.names, s)
	}
	if len(d.names) == 0 || d.names[0] != "" {
		return fmt.Errorf("%w: the names do not start with the empty name", ErrEncoding)
	}
	nc := r.Count("elements", 9)
	if r.Err != nil {
		return r.Err
	}
	d.changes = make([]change, nc)
	for i := range d.changes {
		var ids [6]int32
		for k := range ids {
			v := r.Uvarint()
			if r.Err == nil && v >= uint64(len(d.names)) {
				r.Fail("stage change %d: name %d of %d", i, v, len(d.names))
			}
			ids[k] = int32(v)
		}
		c := change{lead: ids[0], from: ids[1], to: ids[2], owner: ids[3], route: ids[4], channel: ids[5], at: r.Varint(), deadline: r.Varint()}
		line := r.Uvarint()
		if r.Err != nil {
			return r.Err
		}
		if line > math.MaxInt32 || c.lead == 0 || c.to == 0 || !d.isStage(d.names[c.to]) || (c.from != 0 && !d.isStage(d.names[c.from])) {
			return fmt.Errorf("%w: stage change %d: no lead, not a stage, or line %d", ErrEncoding, i, line)
		}
		c.line = int32(line)
		d.changes[i] = c
	}
	np := r.Count("elements", 100) // a period takes at least 120 bytes: four aggregates of 26 and more
	if r.Err != nil {
		return r.Err
	}
	var prev time.Time
	for i := range np {
		start := time.Unix(0, r.Varint()).UTC()
		if r.Err != nil {
			return r.Err
		}
		p := d.periodOf(start)
		if !p.Start.Equal(start) || (i > 0 && !start.After(prev)) {
			return fmt.Errorf("%w: period %d starting %s is not a %s start or out of order", ErrEncoding, i, start, d.cfg.Period)
		}
		prev = start
		pd := d.period(p)
		for _, a := range []*attribution.Aggregate{pd.byChannel, pd.byCampaign, pd.kindRevenue, pd.kindPipe} {
			ab := r.Str("string")
			if r.Err != nil {
				return r.Err
			}
			if err := a.UnmarshalBinary([]byte(ab)); err != nil {
				return fmt.Errorf("%w: period %s: %w", ErrEncoding, p, err)
			}
			if a.Currency() != d.cfg.Currency || a.HalfLife() != attribution.DefaultHalfLife || a.Lookback() != 0 || !a.Period().IsZero() {
				return fmt.Errorf("%w: period %s: an aggregate with other options", ErrEncoding, p)
			}
		}
		for _, v := range []*int64{&pd.wonDeals, &pd.createdDeals, &pd.lostDeals, &pd.wonCycle.sec, &pd.wonCycle.ns,
			&pd.wonAmount, &pd.pipeAmount, &pd.spendMarketing, &pd.spendSales} {
			*v = r.Int63("number")
		}
		if r.Err == nil && pd.wonCycle.ns >= 1e9 {
			r.Fail("period %s: cycle nanoseconds %d", p, pd.wonCycle.ns)
		}
		for _, m := range []map[string]int64{pd.spendChannel, pd.spendCamp} {
			n := r.Count("elements", 2)
			var last string
			for k := range n {
				key, v := r.Str("string"), r.Int63("number")
				if r.Err == nil && k > 0 && key <= last {
					r.Fail("period %s: spend key %q repeated or out of order", p, key)
				}
				last = key
				if r.Err != nil {
					return r.Err
				}
				m[key] = v
			}
		}
		if r.Err != nil {
			return r.Err
		}
	}
	nd := r.Count("elements", 1)
	var last string
	for k := range nd {
		id := r.Str("string")
		if r.Err == nil && (id == "" || (k > 0 && id <= last)) {
			r.Fail("deal id %q empty, repeated or out of order", id)
		}
		if r.Err != nil {
			return r.Err
		}
		last = id
		d.dealIDs[id] = struct{}{}
	}
	ne := r.Count("elements", 4)
	if r.Err != nil {
		return r.Err
	}
	d.events = make([]record.SubscriptionEvent, ne)
	for i := range d.events {
		e := record.SubscriptionEvent{CustomerID: r.Str("string"), Date: time.Unix(0, r.Varint()).UTC(), MRR: money.New(r.Varint(), d.cfg.Currency)}
		line := r.Uvarint()
		if r.Err == nil && line > math.MaxInt32 {
			r.Fail("event %d: line %d", i, line)
		}
		if r.Err != nil {
			return r.Err
		}
		e.Line = int(line)
		d.events[i] = e
	}
	d.latest = r.Varint()
	d.spends = r.Int63("number")
	if r.Err != nil {
		return r.Err
	}
	if len(r.B) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrEncoding, len(r.B))
	}
	b.names, b.index, b.changes, b.periods, b.dealIDs, b.events, b.latest, b.survey = d.names, d.index, d.changes, d.periods, d.dealIDs, d.events, d.latest, nil
	b.spends = d.spends
	return nil
}
