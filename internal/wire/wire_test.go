package wire

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"
)

var errKind = errors.New("test: bad encoding")

func TestRoundTrip(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 30, 0, 123456789, time.FixedZone("X", 3600))
	var b []byte
	b = binary.AppendUvarint(b, 300)
	b = binary.AppendVarint(b, -5)
	b = AppendString(b, "héllo")
	b = AppendTime(b, at)
	b = AppendTime(b, time.Time{})
	b = append(b, 7)
	r := NewDecoder(b, errKind)
	if got := r.Uvarint(); got != 300 {
		t.Errorf("Uvarint = %d, want 300", got)
	}
	if got := r.Varint(); got != -5 {
		t.Errorf("Varint = %d, want -5", got)
	}
	if got := r.Str("name"); got != "héllo" {
		t.Errorf("Str = %q", got)
	}
	// An instant, in UTC: the same moment, the zone dropped.
	if got := r.Time("t"); !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("Time = %v, want %v in UTC", got, at)
	}
	if got := r.Time("zero"); !got.IsZero() {
		t.Errorf("zero Time = %v", got)
	}
	if got := r.Byte(); got != 7 {
		t.Errorf("Byte = %d", got)
	}
	if r.Err != nil || len(r.B) != 0 {
		t.Errorf("Err = %v, %d bytes left", r.Err, len(r.B))
	}
}

// TestErrors: each malformed input fails with the sentinel, and the first
// problem sticks (later reads return zero values).
func TestErrors(t *testing.T) {
	big := binary.AppendUvarint(nil, math.MaxUint64)
	tests := []struct {
		name string
		in   []byte
		read func(*Decoder)
	}{
		{"truncated uvarint", []byte{0x80}, func(r *Decoder) { r.Uvarint() }},
		{"truncated varint", nil, func(r *Decoder) { r.Varint() }},
		{"int63 overflow", big, func(r *Decoder) { r.Int63("n") }},
		// 3 elements of 2 bytes each need 6 bytes; 4 are left.
		{"count beyond the input", []byte{3, 0, 0, 0, 0}, func(r *Decoder) { r.Count("items", 2) }},
		{"string longer than the input", []byte{5, 'a', 'b'}, func(r *Decoder) { r.Str("s") }},
		{"empty byte", nil, func(r *Decoder) { r.Byte() }},
		{"bad time flag", []byte{2}, func(r *Decoder) { r.Time("t") }},
		{"nanoseconds out of range", append(append([]byte{1}, binary.AppendVarint(nil, 0)...), binary.AppendUvarint(nil, 1e9)...), func(r *Decoder) { r.Time("t") }},
		{"zero instant", append(append([]byte{1}, binary.AppendVarint(nil, time.Time{}.Unix())...), 0), func(r *Decoder) { r.Time("t") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewDecoder(tt.in, errKind)
			tt.read(r)
			if !errors.Is(r.Err, errKind) {
				t.Fatalf("Err = %v, want %v", r.Err, errKind)
			}
			first := r.Err
			if r.Uvarint() != 0 || r.Str("x") != "" || r.Err != first {
				t.Errorf("after an error: reads must return zero values and keep the first error")
			}
		})
	}
}

// FuzzDecoder: no input panics, no string or count exceeds the input, and
// every failure wraps the sentinel.
func FuzzDecoder(f *testing.F) {
	f.Add(AppendTime(AppendString(nil, "x"), time.Unix(1, 2)))
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewDecoder(b, errKind)
		n := r.Count("items", 1)
		if n > len(b) {
			t.Fatalf("count %d exceeds the %d-byte input", n, len(b))
		}
		for i := 0; i < n && r.Err == nil; i++ {
			if s := r.Str("s"); len(s) > len(b) {
				t.Fatalf("string of %d bytes from %d", len(s), len(b))
			}
			r.Time("t")
			r.Int63("n")
		}
		if r.Err != nil && !errors.Is(r.Err, errKind) {
			t.Fatalf("error without the sentinel: %v", r.Err)
		}
	})
}
