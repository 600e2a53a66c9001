package attribution

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/wire"
	"github.com/revengine/revengine/money"
)

// ErrEncoding marks bytes that are not an aggregate's binary encoding (a
// wrong magic or version, a truncated or inconsistent encoding). It wraps
// ErrInvalidInput, so errors.Is(err, ErrInvalidInput) holds too.
var ErrEncoding = fmt.Errorf("%w: not an attribution aggregate encoding", ErrInvalidInput)

// aggMagic starts every encoding; the byte after it is the version.
const (
	aggMagic   = "RVAG"
	aggVersion = 1
)

// MarshalBinary encodes the aggregate (encoding.BinaryMarshaler) in a
// compact, versioned, deterministic form: the same journeys give the same
// bytes whatever order they were added or merged in. The encoding holds
// everything every model needs, and nothing per journey:
//
//   - the options: half-life, lookback window, period, currency;
//   - the totals, the unattributed and the outside-period counts;
//   - the channels, sorted by name;
//   - every distinct path (sorted) with its journeys, conversions and value,
//     and, for the journey-level models (time decay, W-shaped, full-path),
//     the credits of its converting journeys summed per channel of the
//     path in exact 64.64 fixed point — the sufficient statistic of those
//     models, since a journey's credit depends on its touch times and
//     milestones but the models only ever read the per-channel sums;
//   - the raw channel names a channel map renamed, with their touches.
//
// Its size is therefore bounded by the distinct paths and their length,
// not by the number of journeys or touches. Bootstrap intervals are drawn
// from these same paths, so they survive the encoding too. The channel map
// itself (WithChannelMap) is a function and is not encoded; see
// UnmarshalBinary.
func (a *Aggregate) MarshalBinary() (data []byte, err error) {
	defer diag.Recover(&err, "attribution: Aggregate.MarshalBinary")
	v := a.view()
	b := make([]byte, 0, 64+16*len(v.chans)+32*len(v.paths))
	b = append(b, aggMagic...)
	b = append(b, aggVersion)
	b = binary.AppendUvarint(b, uint64(v.HalfLife()))
	b = binary.AppendUvarint(b, uint64(v.lookback))
	b = wire.AppendTime(b, a.period.From)
	b = wire.AppendTime(b, a.period.To)
	b = wire.AppendString(b, string(v.Currency()))
	var flags byte
	if v.noTimes {
		flags |= 1
	}
	b = append(b, flags)
	for _, c := range []counts{v.total, v.unattributed, a.outside} {
		b = binary.AppendUvarint(b, uint64(c.journeys))
		b = binary.AppendUvarint(b, uint64(c.conversions))
		b = binary.AppendUvarint(b, uint64(c.value))
	}
	b = binary.AppendUvarint(b, uint64(len(v.chans)))
	for _, c := range v.chans {
		b = wire.AppendString(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(v.paths)))
	for _, p := range v.paths {
		n := len(p.key) / 2
		b = binary.AppendUvarint(b, uint64(n))
		for i := range n {
			b = binary.AppendUvarint(b, uint64(keyID(p.key, i)))
		}
		b = binary.AppendUvarint(b, uint64(p.journeys))
		b = binary.AppendUvarint(b, uint64(p.conversions))
		b = binary.AppendUvarint(b, uint64(p.value))
		b = binary.AppendUvarint(b, uint64(len(p.jc)))
		for _, c := range p.jc { // sorted by id in the view
			b = binary.AppendUvarint(b, uint64(c.id))
			for m := range c.c {
				for k := range c.c[m] {
					b = binary.AppendUvarint(b, c.c[m][k].hi)
					b = binary.AppendUvarint(b, c.c[m][k].lo)
				}
			}
		}
	}
	ren := canonicalRenames(a.renamed)
	b = binary.AppendUvarint(b, uint64(len(ren)))
	for _, r := range ren {
		b = wire.AppendString(b, r.From)
		b = wire.AppendString(b, r.To)
		b = binary.AppendUvarint(b, uint64(r.Touches))
	}
	return b, nil
}

// canonicalRenames returns the renames sorted by raw then target name,
// with repeated pairs (possible after merges) summed.
func canonicalRenames(rs []Rename) []Rename {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(x, y Rename) int { return cmp.Or(cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To)) })
	k := 0
	for _, r := range out {
		if k > 0 && out[k-1].From == r.From && out[k-1].To == r.To {
			out[k-1].Touches = satAdd(out[k-1].Touches, r.Touches)
			continue
		}
		out[k] = r
		k++
	}
	return out[:k]
}

// UnmarshalBinary replaces the content of a by the aggregate data encodes
// (encoding.BinaryUnmarshaler), as MarshalBinary wrote it. Models run on
// the decoded aggregate give the same results, to the bit, as on the
// encoded one, and it merges like it. The period is decoded in UTC. The
// receiver's channel map, if it was built with one, is kept (a channel map
// has no encoding): journeys added afterwards are normalised by it; a
// receiver without one adds channel names as they are.
//
// Bytes that are not such an encoding — another magic or version,
// truncated, trailing bytes, counts that do not add up, channels or paths
// out of order or repeated — return an error matching ErrEncoding (and
// ErrInvalidInput) and leave a unchanged. Decoding never allocates more
// than a small multiple of len(data).
func (a *Aggregate) UnmarshalBinary(data []byte) (err error) {
	defer diag.Recover(&err, "attribution: Aggregate.UnmarshalBinary")
	d, err := decodeAggregate(data)
	if err != nil {
		return err
	}
	norm := a.norm
	a.halfLife, a.lookback, a.period, a.outside = d.halfLife, d.lookback, d.period, d.outside
	a.currency, a.currencyOK, a.noTimes = d.currency, true, d.noTimes
	a.chanID, a.chanHot, a.chans = d.chanID, [64]chanHit{}, d.chans
	a.pathIdx, a.paths = d.pathIdx, d.paths
	a.timeDecay, a.wShaped, a.fullPath = nil, nil, nil
	a.total, a.unattributed = d.total, d.unattributed
	a.norm, a.rawID, a.renamed = norm, d.rawID, d.renamed
	a.keybuf, a.weights = nil, nil
	a.isView, a.replicaOf = false, nil
	a.viewMu.Lock()
	a.templates, a.cache = nil, nil
	a.viewMu.Unlock()
	return nil
}

// readCounts reads a journeys/conversions/value triple and checks it adds up.
func readCounts(r *wire.Decoder, what string) counts {
	c := counts{journeys: r.Int63(what), conversions: r.Int63(what), value: r.Int63(what)}
	if r.Err == nil && (c.conversions > c.journeys || (c.conversions == 0 && c.value != 0)) {
		r.Fail("%s: %d conversions of %d journeys with value %d", what, c.conversions, c.journeys, c.value)
	}
	return c
}

// decodeAggregate decodes and validates an encoding into a new aggregate.
func decodeAggregate(data []byte) (*Aggregate, error) {
	if len(data) < len(aggMagic)+1 || string(data[:len(aggMagic)]) != aggMagic {
		return nil, fmt.Errorf("%w: no %q prefix", ErrEncoding, aggMagic)
	}
	if v := data[len(aggMagic)]; v != aggVersion {
		return nil, fmt.Errorf("%w: version %d (this build reads version %d)", ErrEncoding, v, aggVersion)
	}
	r := wire.NewDecoder(data[len(aggMagic)+1:], ErrEncoding)
	a := &Aggregate{}
	hl, lb := r.Uvarint(), r.Uvarint()
	if r.Err == nil && (hl == 0 || hl > math.MaxInt64 || lb > math.MaxInt64) {
		r.Fail("half-life %d, lookback %d", hl, lb)
	}
	a.halfLife, a.lookback = time.Duration(hl), time.Duration(lb)
	a.period = Period{From: r.Time("period start"), To: r.Time("period end")}
	a.currency = money.Currency(r.Str("currency"))
	if r.Err == nil {
		if err := a.currency.Validate(); err != nil {
			return nil, fmt.Errorf("%w: currency: %w", ErrEncoding, err)
		}
	}
	switch r.Byte() {
	case 0:
	case 1:
		a.noTimes = true
	default:
		r.Fail("bad flags")
	}
	a.total, a.unattributed, a.outside = readCounts(r, "totals"), readCounts(r, "unattributed"), readCounts(r, "outside the period")
	if r.Err == nil && (a.unattributed.journeys > a.total.journeys || a.unattributed.conversions > a.total.conversions || a.unattributed.value > a.total.value) {
		r.Fail("more unattributed than in total")
	}
	nch := r.Count("channels", 1)
	if nch > math.MaxUint16 {
		r.Fail("%d channels (max %d)", nch, math.MaxUint16)
	}
	if r.Err != nil {
		return nil, r.Err
	}
	a.chans = make([]string, nch)
	a.chanID = make(map[string]uint16, nch)
	for i := range a.chans {
		c := r.Str("channel")
		if r.Err != nil {
			return nil, r.Err
		}
		if c == "" || (i > 0 && c <= a.chans[i-1]) {
			return nil, fmt.Errorf("%w: channel %d %q is empty, repeated or out of order", ErrEncoding, i, c)
		}
		a.chans[i], a.chanID[c] = c, uint16(i)
	}
	// Every path takes at least 5 bytes: length, one id, three counts, credits.
	np := r.Count("paths", 6)
	if r.Err != nil {
		return nil, r.Err
	}
	a.paths = make([]pathStat, np)
	a.pathIdx = pathTable{}
	// The path counts add up to the totals less the unattributed.
	want := a.attributable()
	var sum counts
	var key []byte
	for i := range a.paths {
		n := r.Count("touches", 1)
		if r.Err == nil && n == 0 {
			r.Fail("path %d has no touches", i)
		}
		key = key[:0]
		for range n {
			id := r.Uvarint()
			if r.Err == nil && id >= uint64(nch) {
				r.Fail("path %d: channel %d of %d", i, id, nch)
			}
			key = binary.LittleEndian.AppendUint16(key, uint16(id))
		}
		p := pathStat{key: string(key)}
		c := readCounts(r, "path")
		p.journeys, p.conversions, p.value = c.journeys, c.conversions, c.value
		if r.Err != nil {
			return nil, r.Err
		}
		switch {
		case p.journeys == 0:
			return nil, fmt.Errorf("%w: path %d has no journeys", ErrEncoding, i)
		case i > 0 && p.key <= a.paths[i-1].key:
			return nil, fmt.Errorf("%w: path %d repeated or out of order", ErrEncoding, i)
		case !sum.fits(c):
			return nil, fmt.Errorf("%w: path counts overflow", ErrEncoding)
		}
		sum.add(c)
		njc := r.Count("credits", 13)
		if r.Err == nil && njc > n {
			r.Fail("path %d: %d credited channels of %d touches", i, njc, n)
		}
		if r.Err == nil && njc > 0 && p.conversions == 0 {
			r.Fail("path %d: credits without conversions", i)
		}
		if r.Err == nil && njc == 0 && p.conversions > 0 && !a.noTimes {
			r.Fail("path %d: conversions without their credits", i)
		}
		if r.Err != nil {
			return nil, r.Err
		}
		if njc > 0 {
			p.jc = make([]jcredit, njc)
		}
		for k := range p.jc {
			id := r.Uvarint()
			if r.Err == nil && (id >= uint64(nch) || (k > 0 && uint16(id) <= p.jc[k-1].id) || !pathHas(p.key, uint16(id))) {
				r.Fail("path %d: credited channel %d out of order or not on the path", i, id)
			}
			jc := jcredit{id: uint16(id)}
			for m := range jc.c {
				for x := range jc.c[m] {
					jc.c[m][x] = fixed{hi: r.Uvarint(), lo: r.Uvarint()}
				}
				// A channel's share of a journey is at most 1 and of its
				// value at most the value, up to float rounding (a few
				// units in the last place per touch): the bound is loose.
				conv, val := jc.c[m][0], jc.c[m][1]
				if r.Err == nil && (conv.hi > uint64(p.conversions) || val.hi > uint64(p.value)+uint64(p.value)>>30+1) {
					r.Fail("path %d: credit above the path's conversions or value", i)
				}
			}
			p.jc[k] = jc
		}
		if r.Err != nil {
			return nil, r.Err
		}
		a.paths[i] = p
		a.pathIdx.put(p.key, int32(i), a.paths)
	}
	if sum != want {
		return nil, fmt.Errorf("%w: paths hold %+v, the totals less the unattributed %+v", ErrEncoding, sum, want)
	}
	nr := r.Count("renames", 3)
	if r.Err != nil {
		return nil, r.Err
	}
	if nr > 0 {
		a.renamed = make([]Rename, nr)
		a.rawID = make(map[string]int32, nr)
	}
	for i := range a.renamed {
		rn := Rename{From: r.Str("raw channel"), To: r.Str("channel"), Touches: r.Int63("touches")}
		if r.Err != nil {
			return nil, r.Err
		}
		if _, ok := a.chanID[rn.To]; !ok {
			return nil, fmt.Errorf("%w: rename %q → %q to an unknown channel", ErrEncoding, rn.From, rn.To)
		}
		if i > 0 {
			prev := a.renamed[i-1]
			if cmp.Or(cmp.Compare(prev.From, rn.From), cmp.Compare(prev.To, rn.To)) >= 0 {
				return nil, fmt.Errorf("%w: rename %q → %q repeated or out of order", ErrEncoding, rn.From, rn.To)
			}
		}
		a.renamed[i] = rn
		if _, ok := a.rawID[rn.From]; !ok {
			a.rawID[rn.From] = int32(i)
		}
	}
	if r.Err != nil {
		return nil, r.Err
	}
	if len(r.B) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrEncoding, len(r.B))
	}
	a.currencyOK = true
	return a, nil
}

// pathHas reports whether channel id is on the path key.
func pathHas(key string, id uint16) bool {
	var k [2]byte
	binary.LittleEndian.PutUint16(k[:], id)
	for i := 0; i+1 < len(key); i += 2 {
		if key[i] == k[0] && key[i+1] == k[1] {
			return true
		}
	}
	return false
}

// samePeriod reports whether two periods are the same instants (a decoded
// period is in UTC, the encoded one perhaps not).
func samePeriod(p, q Period) bool { return p.From.Equal(q.From) && p.To.Equal(q.To) }
