package attribution

import (
	"fmt"
	"testing"
	"time"
)

// TestFastRFC3339 checks the fast timestamp parser against time.Parse
// (RFC 3339) on every day of the years around the calendar's edges —
// year 0, leap centuries, the Unix epoch, year 9999 — at several times of
// day, offsets and fractions.
func TestFastRFC3339(t *testing.T) {
	years := []int{0, 1, 3, 4, 99, 100, 1600, 1899, 1900, 1969, 1970, 1971, 2000, 2024, 2100, 2400, 9998, 9999}
	clocks := []string{"00:00:00Z", "23:59:59Z", "12:34:56.789Z", "00:00:00.000000001+14:00", "23:59:59.999999999-12:30", "06:07:08+00:00", "06:07:08.5-00:00"}
	n := 0
	for _, y := range years {
		for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			for _, c := range clocks {
				s := fmt.Sprintf("%04d-%02d-%02dT%s", y, d.Month(), d.Day(), c)
				// RFC 3339 allows a lowercase t and z (section 5.6), which
				// time.Parse does not.
				u := []byte(s)
				u[10] = 'T'
				if u[len(u)-1] == 'z' {
					u[len(u)-1] = 'Z'
				}
				want, err := time.Parse(time.RFC3339Nano, string(u))
				if err != nil {
					t.Fatal(err)
				}
				got, ok := fastRFC3339([]byte(s))
				if !ok || !got.Equal(want) || got.Location() != time.UTC {
					t.Fatalf("%s: got %v (%v), want %v", s, got, ok, want)
				}
				n++
			}
		}
	}
	for _, bad := range []string{"2025-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-00-10T00:00:00Z",
		"2025-04-31T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T00:60:00Z", "2025-01-01T00:00:60Z", "2025-01-01T00:00:00+24:00"} {
		if _, ok := fastRFC3339([]byte(bad)); ok {
			t.Errorf("%s: accepted", bad)
		}
	}
	t.Logf("%d timestamps", n)
}

// FuzzFastRFC3339: whatever the fast parser accepts, time.Parse reads as
// the same instant (in upper case).
func FuzzFastRFC3339(f *testing.F) {
	for _, s := range []string{"2025-01-01T00:00:00Z", "0000-02-28T23:59:59.123456789+01:30", "9999-12-31T23:59:59-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := fastRFC3339([]byte(s))
		if !ok {
			return
		}
		// RFC 3339 allows a lowercase t and z (section 5.6), which
		// time.Parse does not.
		u := []byte(s)
		u[10] = 'T'
		if u[len(u)-1] == 'z' {
			u[len(u)-1] = 'Z'
		}
		want, err := time.Parse(time.RFC3339Nano, string(u))
		if err != nil {
			t.Fatalf("%q: fast %v, time.Parse: %v", s, got, err)
		}
		if !got.Equal(want) {
			t.Fatalf("%q: fast %v, time.Parse %v", s, got, want)
		}
	})
}
