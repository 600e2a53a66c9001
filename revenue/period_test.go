package revenue

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
)

func TestPeriods(t *testing.T) {
	q1, _ := Quarter(2024, 1)
	r, _ := Range(Date(2024, 1, 15), time.Date(2024, 2, 14, 23, 59, 0, 0, time.UTC))
	tests := []struct {
		name   string
		p      Period
		days   int // counted on a calendar
		str    string
		months int
	}{
		{"leap February", Month(2024, time.February), 29, "2024-02", 1},
		{"February", Month(2023, time.February), 28, "2023-02", 1},
		{"leap year", Year(2024), 366, "2024", 12},
		{"year", Year(2023), 365, "2023", 12},
		{"Q1 leap", q1, 31 + 29 + 31, "2024-Q1", 3},
		{"custom", r, 17 + 14, "2024-01-15..2024-02-14", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Days(); got != tt.days {
				t.Errorf("Days = %d, want %d", got, tt.days)
			}
			if got := tt.p.String(); got != tt.str {
				t.Errorf("String = %q, want %q", got, tt.str)
			}
			ms := tt.p.Months()
			if len(ms) != tt.months {
				t.Fatalf("Months = %d, want %d", len(ms), tt.months)
			}
			total := 0
			for _, m := range ms {
				total += m.Days()
			}
			if total != tt.days {
				t.Errorf("months cover %d days, want %d", total, tt.days)
			}
		})
	}
	if !r.Contains(Date(2024, 2, 14)) || r.Contains(Date(2024, 2, 15)) || r.Contains(Date(2024, 1, 14)) {
		t.Error("Contains: wrong bounds")
	}
	if _, err := Quarter(2024, 5); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("Quarter 5: %v", err)
	}
	if _, err := Range(Date(2024, 2, 1), Date(2024, 1, 1)); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("backwards range: %v", err)
	}
}

func TestPeriodQuarters(t *testing.T) {
	r, _ := Range(Date(2024, 2, 10), Date(2024, 8, 5))
	got := r.Quarters()
	var names []string
	for _, p := range got {
		names = append(names, p.String())
	}
	want := []string{"2024-02-10..2024-03-31", "2024-Q2", "2024-07-01..2024-08-05"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("Quarters (-want +got):\n%s", diff)
	}
}

// TestParsePeriod: the one period grammar, and its round trip through
// String and JSON. Days counted by hand: 2024 is a leap year (366 days),
// Q1 2024 has 31 + 29 + 31 = 91, 2024-01-15..2024-06-30 has 17 + 29 + 31 +
// 30 + 31 + 30 = 168.
func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in    string
		start time.Time
		days  int
		ok    bool
	}{
		{"2024", Date(2024, 1, 1), 366, true},
		{"2023", Date(2023, 1, 1), 365, true},
		{"2024-Q1", Date(2024, 1, 1), 91, true},
		{"2024-Q4", Date(2024, 10, 1), 92, true},
		{"2024-02", Date(2024, 2, 1), 29, true},
		{"2024-01-15..2024-06-30", Date(2024, 1, 15), 168, true},
		{"2024-03-01..2024-03-01", Date(2024, 3, 1), 1, true},
		{"2024-Q5", time.Time{}, 0, false},
		{"2024-Q0", time.Time{}, 0, false},
		{"2024-13", time.Time{}, 0, false},
		{"2024-00", time.Time{}, 0, false},
		{"0000", time.Time{}, 0, false},
		{"+202", time.Time{}, 0, false},
		{"2024-+1", time.Time{}, 0, false},
		{"2024-06-30..2024-01-15", time.Time{}, 0, false},
		{"2024-02-30..2024-03-01", time.Time{}, 0, false},
		{"2024-1", time.Time{}, 0, false},
		{"", time.Time{}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in)
			if !tt.ok {
				if !errors.Is(err, money.ErrInvalidInput) {
					t.Errorf("err = %v, want ErrInvalidInput", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !p.Start.Equal(tt.start) || p.Days() != tt.days {
				t.Errorf("got %v (%d days), want start %v, %d days", p, p.Days(), tt.start, tt.days)
			}
			if p.String() != tt.in && tt.in != "2024-03-01..2024-03-01" {
				t.Errorf("String() = %q", p.String())
			}
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var back Period
			if err := json.Unmarshal(b, &back); err != nil || back != p {
				t.Errorf("JSON %s: back %v, %v", b, back, err)
			}
		})
	}
}
func TestParsePeriodForms(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"year", "2024", "2024", true},
		{"quarter", "2024-Q2", "2024-Q2", true},
		{"month", "2024-02", "2024-02", true},
		{"range", "2024-01-15..2024-02-14", "2024-01-15..2024-02-14", true},
		{"quarter 5", "2024-Q5", "", false},
		{"month 13", "2024-13", "", false},
		{"signed month", "2024-+1", "", false},
		{"reversed range", "2024-02-14..2024-01-15", "", false},
		{"bad date", "2024-02-30..2024-03-01", "", false},
		{"word", "soon", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePeriod(tt.in)
			if (err == nil) != tt.ok || (tt.ok && p.String() != tt.want) {
				t.Errorf("ParsePeriod(%q) = %v, %v; want %q", tt.in, p, err, tt.want)
			}
		})
	}
}
