package revbeam

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
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
// attribution.Aggregate with the options it was built with. Its Beam coder
// is the aggregate's own binary encoding (attribution.Aggregate's
// MarshalBinary: distinct paths with their counts and exact per-channel
// credit sums, no journeys), behind a prefix naming the options, so an
// accumulator on the wire is as large as its distinct paths, and a decoded
// one is the aggregate that was encoded.
type PathAggregate struct {
	halfLife, lookback time.Duration
	currency           string

	agg *attribution.Aggregate
}

func newPathAggregate(halfLife, lookback time.Duration, currency string) *PathAggregate {
	a := &PathAggregate{halfLife: halfLife, lookback: lookback, currency: currency}
	a.agg = attribution.NewAggregate(a.options()...)
	return a
}

func (a *PathAggregate) options() []attribution.Option {
	return AttributionConfig{Currency: a.currency, HalfLife: a.halfLife, Lookback: a.lookback}.options()
}

// Aggregate returns the attribution aggregate; it must not be modified.
func (a *PathAggregate) Aggregate() *attribution.Aggregate { return a.agg }

func (a *PathAggregate) add(p JourneyPart) error { return a.agg.Add(p.journey()) }

func (a *PathAggregate) merge(b *PathAggregate) error {
	if b == nil {
		return nil
	}
	return a.agg.Merge(b.agg)
}

const (
	wireMagic = "RVPA"
	// wireNative is the only form: the options, then the bytes of
	// attribution.Aggregate.MarshalBinary. (Form 1, the converting journeys
	// replayed in full, was written before the aggregate had an encoding.)
	wireNative = 2
)

// MarshalBinary encodes the accumulator (its Beam coder). The encoding is
// deterministic: the same journeys give the same bytes, whatever order they
// were added or merged in.
func (a *PathAggregate) MarshalBinary() ([]byte, error) {
	nb, err := a.agg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(nb)+32)
	b = append(b, wireMagic...)
	b = append(b, wireNative)
	b = binary.AppendVarint(b, int64(a.halfLife))
	b = binary.AppendVarint(b, int64(a.lookback))
	b = binary.AppendUvarint(b, uint64(len(a.currency)))
	b = append(b, a.currency...)
	return append(b, nb...), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote. Bytes it did not write
// return an error matching ErrWireFormat (the aggregate's own errors match
// attribution.ErrEncoding too).
func (a *PathAggregate) UnmarshalBinary(data []byte) (err error) {
	defer diag.Recover(&err, "revbeam: PathAggregate.UnmarshalBinary")
	if len(data) < len(wireMagic)+1 || string(data[:len(wireMagic)]) != wireMagic {
		return ErrWireFormat
	}
	if form := data[len(wireMagic)]; form != wireNative {
		return fmt.Errorf("%w: form %d", ErrWireFormat, form)
	}
	b := data[len(wireMagic)+1:]
	hl, n1 := binary.Varint(b)
	if n1 <= 0 {
		return ErrWireFormat
	}
	lb, n2 := binary.Varint(b[n1:])
	if n2 <= 0 {
		return ErrWireFormat
	}
	b = b[n1+n2:]
	cl, n3 := binary.Uvarint(b)
	if n3 <= 0 || cl > uint64(len(b)-n3) || hl < 0 || lb < 0 {
		return ErrWireFormat
	}
	cur := string(b[n3 : n3+int(cl)])
	b = b[n3+int(cl):]
	d := newPathAggregate(time.Duration(hl), time.Duration(lb), cur)
	if err := d.agg.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("%w: %w", ErrWireFormat, err)
	}
	// The prefix and the aggregate must agree, or the accumulator would
	// merge with others its options say it cannot.
	want := attribution.NewAggregate(d.options()...)
	if want.HalfLife() != d.agg.HalfLife() || want.Lookback() != d.agg.Lookback() || want.Currency() != d.agg.Currency() {
		return fmt.Errorf("%w: options of the prefix and the aggregate differ", ErrWireFormat)
	}
	*a = *d
	return nil
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
