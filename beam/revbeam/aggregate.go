package revbeam

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/internal/diag"
)

// Error kinds of the package, the module's sentinels.
var (
	ErrInvalidInput = diag.ErrInvalidInput
	ErrOverflow     = diag.ErrOverflow
)

// ErrWireFormat is returned when a PathAggregate's encoding is not one this
// version wrote.
var ErrWireFormat = errors.New("revbeam: invalid path aggregate encoding")

// PathAggregate is the accumulator of the attribution CombineFn: an
// attribution.Aggregate plus what it needs to cross process boundaries.
// Its Beam coder writes the journeys that did not convert as a count per
// channel path and the converting journeys in full, and decodes by replaying
// them into an Aggregate, so a decoded accumulator is the aggregate that was
// encoded; when *attribution.Aggregate implements encoding.BinaryMarshaler and
// encoding.BinaryUnmarshaler, that encoding is used instead.
type PathAggregate struct {
	halfLife, lookback time.Duration
	currency           string

	agg   *attribution.Aggregate
	nulls map[string]int64 // wire key of a channel path → journeys that did not convert
	conv  []JourneyPart    // converting journeys, touches only as needed
}

// aggregateCodec is the optional binary form of attribution.Aggregate.
type aggregateCodec interface {
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}

// nativeCodec reports whether attribution.Aggregate encodes itself.
var nativeCodec = func() bool { _, ok := any(&attribution.Aggregate{}).(aggregateCodec); return ok }()

func newPathAggregate(halfLife, lookback time.Duration, currency string) *PathAggregate {
	a := &PathAggregate{halfLife: halfLife, lookback: lookback, currency: currency, nulls: map[string]int64{}}
	a.agg = attribution.NewAggregate(a.options()...)
	return a
}

func (a *PathAggregate) options() []attribution.Option {
	return AttributionConfig{Currency: a.currency, HalfLife: a.halfLife, Lookback: a.lookback}.options()
}

// Aggregate returns the attribution aggregate; it must not be modified.
func (a *PathAggregate) Aggregate() *attribution.Aggregate { return a.agg }

func (a *PathAggregate) add(p JourneyPart) error {
	if err := a.agg.Add(p.journey()); err != nil {
		return err
	}
	if nativeCodec {
		return nil
	}
	if p.Converted {
		p.ID, p.File, p.Line, p.Campaigns = "", "", 0, make([]string, len(p.Channels))
		a.conv = append(a.conv, p)
	} else {
		a.nulls[pathKey(p.Channels)]++
	}
	return nil
}

// addNulls adds n journeys that did not convert, on the channel path chs.
// Such a journey contributes only its path, so it is replayed with all its
// touches at one instant; many of them are added by doubling with
// Aggregate.Merge, in O(log n) merges of one-path aggregates.
func (a *PathAggregate) addNulls(chs []string, n int64) error {
	k := len(chs)
	p := JourneyPart{Channels: chs, Times: make([]int64, k), Campaigns: make([]string, k),
		Lead: make([]bool, k), Opp: make([]bool, k)}
	if n <= 16 {
		for range n {
			if err := a.add(p); err != nil {
				return err
			}
		}
		return nil
	}
	pow := attribution.NewAggregate(a.options()...)
	if err := pow.Add(p.journey()); err != nil {
		return err
	}
	sum := attribution.NewAggregate(a.options()...)
	for m := n; m > 0; m >>= 1 {
		if m&1 == 1 {
			if err := sum.Merge(pow); err != nil {
				return err
			}
		}
		if m > 1 {
			next := attribution.NewAggregate(a.options()...)
			if err := next.Merge(pow); err != nil {
				return err
			}
			if err := next.Merge(pow); err != nil {
				return err
			}
			pow = next
		}
	}
	if err := a.agg.Merge(sum); err != nil {
		return err
	}
	if !nativeCodec {
		a.nulls[pathKey(chs)] += n
	}
	return nil
}

func (a *PathAggregate) merge(b *PathAggregate) error {
	if b == nil {
		return nil
	}
	if err := a.agg.Merge(b.agg); err != nil {
		return err
	}
	if nativeCodec {
		return nil
	}
	for k, n := range b.nulls {
		a.nulls[k] += n
	}
	a.conv = append(a.conv, b.conv...)
	return nil
}

// pathKey encodes a channel path, each channel length-prefixed.
func pathKey(chs []string) string {
	var b []byte
	for _, c := range chs {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	return string(b)
}

func parsePathKey(k string) ([]string, error) {
	var out []string
	b := []byte(k)
	for len(b) > 0 {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return nil, ErrWireFormat
		}
		out = append(out, string(b[w:w+int(n)]))
		b = b[w+int(n):]
	}
	return out, nil
}

const (
	wireMagic   = "RVPA"
	wireReplay  = 1 // nulls per path + converting journeys
	wireNative  = 2 // attribution.Aggregate's own MarshalBinary
	maxWireElem = 1 << 30
)

// MarshalBinary encodes the accumulator (its Beam coder). The encoding is
// deterministic: the same aggregate gives the same bytes.
func (a *PathAggregate) MarshalBinary() ([]byte, error) {
	var b []byte
	b = append(b, wireMagic...)
	if nativeCodec {
		b = append(b, wireNative)
	} else {
		b = append(b, wireReplay)
	}
	b = binary.AppendVarint(b, int64(a.halfLife))
	b = binary.AppendVarint(b, int64(a.lookback))
	b = appendString(b, a.currency)
	if nativeCodec {
		nb, err := any(a.agg).(aggregateCodec).MarshalBinary()
		if err != nil {
			return nil, err
		}
		return append(b, nb...), nil
	}
	keys := make([]string, 0, len(a.nulls))
	for k := range a.nulls {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		b = binary.AppendVarint(b, a.nulls[k])
	}
	// Converting journeys in a canonical order (by their encoding), so the
	// bytes, and the aggregate they decode to, do not depend on the order the
	// runner merged accumulators in.
	entries := make([][]byte, len(a.conv))
	for i := range a.conv {
		p := &a.conv[i]
		var e []byte
		e = binary.AppendVarint(e, p.ValueMinor)
		e = appendString(e, p.Currency)
		e = binary.AppendVarint(e, p.ConvTime)
		e = binary.AppendUvarint(e, uint64(len(p.Channels)))
		for k := range p.Channels {
			e = appendString(e, p.Channels[k])
			e = binary.AppendVarint(e, p.Times[k])
			var fl byte
			if p.Lead[k] {
				fl |= 1
			}
			if p.Opp[k] {
				fl |= 2
			}
			e = append(e, fl)
		}
		entries[i] = e
	}
	slices.SortFunc(entries, bytes.Compare)
	b = binary.AppendUvarint(b, uint64(len(entries)))
	for _, e := range entries {
		b = append(b, e...)
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

type wireReader struct {
	b   *bytes.Reader
	err error
}

func (r *wireReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(r.b)
	if err != nil {
		r.err = ErrWireFormat
	}
	return v
}

func (r *wireReader) count() int {
	if r.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(r.b)
	if err != nil || v > maxWireElem || v > uint64(r.b.Len()) {
		r.err = ErrWireFormat
		return 0
	}
	return int(v)
}

func (r *wireReader) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := make([]byte, n)
	if _, err := r.b.Read(s); err != nil && n > 0 {
		r.err = ErrWireFormat
	}
	return string(s)
}

func (r *wireReader) byte1() byte {
	if r.err != nil {
		return 0
	}
	c, err := r.b.ReadByte()
	if err != nil {
		r.err = ErrWireFormat
	}
	return c
}

// UnmarshalBinary decodes what MarshalBinary wrote, replaying it into a new
// attribution.Aggregate.
func (a *PathAggregate) UnmarshalBinary(data []byte) (err error) {
	defer diag.Recover(&err, "revbeam: PathAggregate.UnmarshalBinary")
	if len(data) < len(wireMagic)+1 || string(data[:len(wireMagic)]) != wireMagic {
		return ErrWireFormat
	}
	form := data[len(wireMagic)]
	r := &wireReader{b: bytes.NewReader(data[len(wireMagic)+1:])}
	hl, lb := time.Duration(r.varint()), time.Duration(r.varint())
	cur := r.str()
	if r.err != nil {
		return r.err
	}
	*a = *newPathAggregate(hl, lb, cur)
	switch {
	case form == wireNative && nativeCodec:
		rest := data[len(data)-r.b.Len():]
		return any(a.agg).(aggregateCodec).UnmarshalBinary(rest)
	case form != wireReplay || nativeCodec:
		return fmt.Errorf("%w: form %d", ErrWireFormat, form)
	}
	for range r.count() {
		k, n := r.str(), r.varint()
		if r.err != nil {
			return r.err
		}
		chs, err := parsePathKey(k)
		if err != nil {
			return err
		}
		if n < 0 {
			return ErrWireFormat
		}
		if err := a.addNulls(chs, n); err != nil {
			return err
		}
	}
	for range r.count() {
		p := JourneyPart{Converted: true, ValueMinor: r.varint(), Currency: r.str(), ConvTime: r.varint()}
		n := r.count()
		if r.err != nil {
			return r.err
		}
		p.Channels, p.Times, p.Campaigns = make([]string, n), make([]int64, n), make([]string, n)
		p.Lead, p.Opp = make([]bool, n), make([]bool, n)
		for k := range n {
			p.Channels[k], p.Times[k] = r.str(), r.varint()
			fl := r.byte1()
			p.Lead[k], p.Opp[k] = fl&1 != 0, fl&2 != 0
		}
		if r.err != nil {
			return r.err
		}
		if err := a.add(p); err != nil {
			return err
		}
	}
	if r.err == nil && r.b.Len() != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrWireFormat, r.b.Len())
	}
	return r.err
}

// canonical returns the aggregate rebuilt from its wire form, in which paths
// and journeys come in a fixed order: models run on it give the same bytes
// whatever order the shards were merged in (floating-point sums, and so a
// tie in the largest-remainder rounding of money, depend on that order).
func (a *PathAggregate) canonical() (*PathAggregate, error) {
	if nativeCodec {
		return a, nil
	}
	b, err := a.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return decodePathAggregate(b)
}

func encodePathAggregate(a *PathAggregate) ([]byte, error) { return a.MarshalBinary() }

func decodePathAggregate(b []byte) (*PathAggregate, error) {
	a := new(PathAggregate)
	if err := a.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return a, nil
}

func init() {
	beam.RegisterCoder(reflect.TypeOf((*PathAggregate)(nil)), encodePathAggregate, decodePathAggregate)
}
