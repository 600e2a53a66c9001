package duration

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration // 0: an error
	}{
		{"30d", 30 * day},
		{"36h", 36 * time.Hour},
		{"1w2d", 9 * day},
		{"1w", 7 * day},
		{"90m", 90 * time.Minute},
		{"1.5h", 90 * time.Minute},
		{"0.5s", 500 * time.Millisecond},
		{"1d12h", 36 * time.Hour},
		{"2562047h", 2562047 * time.Hour}, // just under MaxInt64 ns (2562047.79h)
		{"2562048h", 0},                   // over
		{"15251w", 0},                     // over: 2562168h
		{"0d", 0},
		{"0.0000000001s", 0}, // 0.1 ns truncates to 0
		{"", 0},
		{"d", 0},
		{"3", 0},
		{"3x", 0},
		{"-3d", 0},
		{"1..5h", 0},
		{".h", 0},
		{"1h ", 0},
		{"99999999999999999999999999999999999999999999999999999999999999999999d", 0}, // over MaxLen
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.want == 0 {
			if err == nil || !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%q) = %v, %v; want an ErrInvalid error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"30d", "1w2d", "1.5h", "0.0000000001s", "2562048h", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err == nil && d <= 0 {
			t.Fatalf("Parse(%q) = %v with no error", s, d)
		}
	})
}
