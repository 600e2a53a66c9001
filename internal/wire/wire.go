// Package wire holds the pieces shared by the module's binary encodings
// (attribution.Aggregate's and engine.Builder's MarshalBinary): unsigned
// and signed varints, length-prefixed strings and instants, written by the
// Append functions and read back by a Decoder that validates as it goes.
//
// A Decoder never panics and never allocates more than the input justifies:
// every count is checked against the bytes left before the caller sizes
// anything by it. The first problem sticks; later reads return zero values,
// so a decoder checks Err once per block rather than after every read.
package wire

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// AppendString appends s with its length as a uvarint.
func AppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// AppendTime appends 0 for the zero time, else 1, the Unix seconds (varint)
// and the nanoseconds (uvarint): an instant, decoded in UTC.
func AppendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

// Decoder reads an encoding from B. The first problem is kept in Err,
// wrapping the sentinel the Decoder was made with.
type Decoder struct {
	B        []byte
	Err      error
	sentinel error
}

// NewDecoder returns a Decoder of b whose errors wrap sentinel.
func NewDecoder(b []byte, sentinel error) *Decoder {
	return &Decoder{B: b, sentinel: sentinel}
}

// Fail records a problem, unless one is recorded already.
func (r *Decoder) Fail(format string, args ...any) {
	if r.Err == nil {
		r.Err = fmt.Errorf("%w: "+format, append([]any{r.sentinel}, args...)...)
	}
}

// Uvarint reads an unsigned varint.
func (r *Decoder) Uvarint() uint64 {
	if r.Err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.B)
	if n <= 0 {
		r.Fail("truncated or overlong number")
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Varint reads a signed varint.
func (r *Decoder) Varint() int64 {
	if r.Err != nil {
		return 0
	}
	v, n := binary.Varint(r.B)
	if n <= 0 {
		r.Fail("truncated or overlong number")
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Int63 reads an unsigned varint that must fit int64; what names it in
// the error.
func (r *Decoder) Int63(what string) int64 {
	v := r.Uvarint()
	if v > math.MaxInt64 {
		r.Fail("%s %d overflows int64", what, v)
		return 0
	}
	return int64(v)
}

// Count reads a number of elements that each take at least size bytes of
// what is left, so that no allocation sized by it exceeds the input.
func (r *Decoder) Count(what string, size int) int {
	v := r.Uvarint()
	if r.Err == nil && v > uint64(len(r.B)/size) {
		r.Fail("%d %s, more than the %d bytes left can hold", v, what, len(r.B))
		return 0
	}
	return int(v)
}

// Str reads a length-prefixed string.
func (r *Decoder) Str(what string) string {
	n := r.Count(what+" bytes", 1)
	if r.Err != nil {
		return ""
	}
	s := string(r.B[:n])
	r.B = r.B[n:]
	return s
}

// Byte reads one byte.
func (r *Decoder) Byte() byte {
	if r.Err != nil {
		return 0
	}
	if len(r.B) == 0 {
		r.Fail("truncated")
		return 0
	}
	c := r.B[0]
	r.B = r.B[1:]
	return c
}

// Time reads what AppendTime wrote, in UTC.
func (r *Decoder) Time(what string) time.Time {
	switch r.Byte() {
	case 0:
		return time.Time{}
	case 1:
		sec := r.Varint()
		ns := r.Uvarint()
		if r.Err != nil {
			return time.Time{}
		}
		if ns >= 1e9 {
			r.Fail("%s: %d nanoseconds", what, ns)
			return time.Time{}
		}
		t := time.Unix(sec, int64(ns)).UTC()
		if t.IsZero() {
			r.Fail("%s: the zero time written as an instant", what)
		}
		return t
	default:
		r.Fail("%s: bad flag", what)
		return time.Time{}
	}
}
