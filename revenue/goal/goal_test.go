package goal

import (
	"github.com/revengine/revengine/revenue"

	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
)

func goalQuarter(t *testing.T, y, q int) revenue.Period {
	t.Helper()
	p, err := revenue.Quarter(y, q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func goalAmounts(g Plan) []int64 {
	out := make([]int64, len(g.Parts))
	for i, p := range g.Parts {
		out[i] = p.Amount.Amount
	}
	return out
}

func TestCalendar(t *testing.T) {
	// January 2024 starts on a Monday: 31 days = 4 full weeks (20 weekdays)
	// + Mon 29, Tue 30, Wed 31 = 23 weekdays; minus New Year's Day = 22.
	// February 2024 starts on a Thursday: 4 weeks (20) + Thu 29 = 21.
	// March 2024 starts on a Friday: 4 weeks (20) + Fri 29 = 21.
	cal := revenue.MondayToFriday(revenue.Date(2024, 1, 1))
	tests := []struct {
		name string
		p    revenue.Period
		want int
	}{
		{"January with holiday", revenue.Month(2024, time.January), 22},
		{"leap February", revenue.Month(2024, time.February), 21},
		{"March", revenue.Month(2024, time.March), 21},
		{"Q1", goalQuarter(t, 2024, 1), 22 + 21 + 21},
		// 2024 has 366 days = 52 weeks + 2 days (Mon 1 Jan, Tue 31 Dec):
		// 52×5 + 2 = 262 weekdays, minus the holiday = 261.
		{"leap year", revenue.Year(2024), 261},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.WorkingDays(tt.p); got != tt.want {
				t.Errorf("WorkingDays = %d, want %d", got, tt.want)
			}
		})
	}
	if cal.IsWorkingDay(revenue.Date(2024, 1, 1)) || cal.IsWorkingDay(revenue.Date(2024, 1, 6)) || !cal.IsWorkingDay(revenue.Date(2024, 1, 2)) {
		t.Error("IsWorkingDay: want holiday and Saturday off, Tuesday on")
	}
	if got := (revenue.Calendar{}).WorkingDays(revenue.Year(2023)); got != 365 {
		t.Errorf("zero Calendar: WorkingDays(2023) = %d, want every day (365)", got)
	}
	if err := (revenue.Calendar{Weekend: []time.Weekday{9}}).Validate(); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("bad weekday: err = %v, want ErrInvalidInput", err)
	}
}

func TestTargetSplit(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	q1_23 := goalQuarter(t, 2023, 1)
	cal := revenue.MondayToFriday(revenue.Date(2024, 1, 1))
	tests := []struct {
		name  string
		t     Target
		split Split
		parts []revenue.Period
		want  []int64
	}{
		// 10000 / 3 = 3333 r 1: the cent left goes to the first part (tie).
		{"100.00 over 3 months equal", Target{q1, usd(10000)}, SplitEqual(), q1.Months(), []int64{3334, 3333, 3333}},
		// Days 31, 29, 31 of 91: quotas 3406.59, 3186.81, 3406.59; truncated
		// sum 9998; 2 cents left: February (.81), then January (.59, tie with
		// March, earlier wins).
		{"100.00 over leap Q1 by days", Target{q1, usd(10000)}, SplitByDays(), q1.Months(), []int64{3407, 3187, 3406}},
		// Days 31, 28, 31 of 90: quotas 3444.44, 3111.11, 3444.44; sum 9999;
		// 1 cent left to January (tie with March).
		{"100.00 over Q1 2023 by days", Target{q1_23, usd(10000)}, SplitByDays(), q1_23.Months(), []int64{3445, 3111, 3444}},
		{"zero Split is by days", Target{q1_23, usd(10000)}, Split{}, q1_23.Months(), []int64{3445, 3111, 3444}},
		// 1 / 12 truncates to 0 everywhere; the one cent goes to January.
		{"1 cent over 12 months equal", Target{revenue.Year(2024), usd(1)}, SplitEqual(), revenue.Year(2024).Months(),
			[]int64{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		// By days the largest remainder is a 31-day month; January is the first.
		{"1 cent over 12 months by days", Target{revenue.Year(2023), usd(1)}, SplitByDays(), revenue.Year(2023).Months(),
			[]int64{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		// 366.00 over 366 days is 1.00 a day: each month gets its days.
		{"leap year by days", Target{revenue.Year(2024), usd(36600)}, SplitByDays(), revenue.Year(2024).Months(),
			[]int64{3100, 2900, 3100, 3000, 3100, 3000, 3100, 3100, 3000, 3100, 3000, 3100}},
		{"common year by days", Target{revenue.Year(2023), usd(36500)}, SplitByDays(), revenue.Year(2023).Months(),
			[]int64{3100, 2800, 3100, 3000, 3100, 3000, 3100, 3100, 3000, 3100, 3000, 3100}},
		// Quarters of 2024: 31+29+31 = 91, 30+31+30 = 91, 31+31+30 = 92, 31+30+31 = 92.
		{"leap year quarters by days", Target{revenue.Year(2024), usd(36600)}, SplitByDays(), revenue.Year(2024).Quarters(),
			[]int64{9100, 9100, 9200, 9200}},
		// Working days 22, 21, 21 of 64 (see TestCalendar): 640.00 → 10.00 a day.
		{"640.00 by working days", Target{q1, usd(64000)}, SplitByWorkingDays(cal), q1.Months(), []int64{22000, 21000, 21000}},
		// 10000 × 22/64 = 3437.5, × 21/64 = 3281.25 twice; sum 9999; the cent
		// goes to January (.5).
		{"100.00 by working days", Target{q1, usd(10000)}, SplitByWorkingDays(cal), q1.Months(), []int64{3438, 3281, 3281}},
		// Weights 1:2:4 of 7: 9100.00 × 1/7 = 1300.00, × 2/7 = 2600.00, × 4/7 = 5200.00.
		{"seasonal weights", Target{q1, usd(910000)}, SplitByWeights(1, 2, 4), q1.Months(), []int64{130000, 260000, 520000}},
		// 0.3 is 0.29999999999999998889… in binary: quotas 50, 29.99…, 20.00…1;
		// sum 99; the cent goes to the largest remainder, February: 50, 30, 20.
		{"seasonal shares in binary", Target{q1, usd(100)}, SplitByWeights(0.5, 0.3, 0.2), q1.Months(), []int64{50, 30, 20}},
		{"single part", Target{q1, usd(777)}, SplitEqual(), []revenue.Period{q1}, []int64{777}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := tt.t.Split(tt.split, tt.parts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, goalAmounts(g)); diff != "" {
				t.Errorf("split (-want +got):\n%s", diff)
			}
			var sum int64
			for i, p := range g.Parts {
				sum += p.Amount.Amount
				if p.Period != tt.parts[i] || p.Amount.Currency != "USD" {
					t.Errorf("part %d = %v", i, p)
				}
			}
			if sum != tt.t.Amount.Amount {
				t.Errorf("parts sum to %d, want %d", sum, tt.t.Amount.Amount)
			}
		})
	}
}

func TestTargetSplitErrors(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	jan, feb, mar := revenue.Month(2024, 1), revenue.Month(2024, 2), revenue.Month(2024, 3)
	allWeekend := revenue.Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
	tests := []struct {
		name  string
		t     Target
		split Split
		parts []revenue.Period
		want  []error
	}{
		{"zero target", Target{q1, usd(0)}, SplitByDays(), q1.Months(), []error{money.ErrInvalidInput, money.ErrDivisionByZero}},
		{"negative target", Target{q1, usd(-1)}, SplitByDays(), q1.Months(), []error{money.ErrInvalidInput}},
		{"bad currency", Target{q1, money.New(100, "usd")}, SplitByDays(), q1.Months(), []error{money.ErrInvalidCurrency}},
		{"empty period", Target{revenue.Period{}, usd(100)}, SplitByDays(), nil, []error{money.ErrInvalidInput}},
		{"not midnight", Target{revenue.Period{Start: revenue.Date(2024, 1, 1).Add(time.Hour), End: revenue.Date(2024, 2, 1)}, usd(100)}, SplitByDays(), nil, []error{money.ErrInvalidInput}},
		{"no parts", Target{q1, usd(100)}, SplitByDays(), nil, []error{money.ErrInvalidInput}},
		{"too many parts", Target{goalLongRange(t), usd(100)}, SplitByDays(), goalLongRange(t).Months(), []error{money.ErrInvalidInput}},
		{"gap", Target{q1, usd(100)}, SplitByDays(), []revenue.Period{jan, mar}, []error{money.ErrInvalidInput}},
		{"short", Target{q1, usd(100)}, SplitByDays(), []revenue.Period{jan, feb}, []error{money.ErrInvalidInput}},
		{"overlap", Target{q1, usd(100)}, SplitByDays(), []revenue.Period{jan, jan, feb, mar}, []error{money.ErrInvalidInput}},
		{"weights count", Target{q1, usd(100)}, SplitByWeights(1, 2), q1.Months(), []error{money.ErrInvalidInput}},
		{"negative weight", Target{q1, usd(100)}, SplitByWeights(1, -2, 1), q1.Months(), []error{money.ErrInvalidInput}},
		{"zero weights", Target{q1, usd(100)}, SplitByWeights(0, 0, 0), q1.Months(), []error{money.ErrDivisionByZero}},
		{"no working day", Target{q1, usd(100)}, SplitByWorkingDays(allWeekend), q1.Months(), []error{money.ErrDivisionByZero}},
		{"bad calendar", Target{q1, usd(100)}, SplitByWorkingDays(revenue.Calendar{Weekend: []time.Weekday{-1}}), q1.Months(), []error{money.ErrInvalidInput}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.t.Split(tt.split, tt.parts)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want errors.Is %v", err, w)
				}
			}
		})
	}
}

func TestSplitString(t *testing.T) {
	for want, s := range map[string]Split{"equal": SplitEqual(), "days": SplitByDays(), "working_days": SplitByWorkingDays(revenue.Calendar{}), "weights": SplitByWeights(1)} {
		if s.String() != want {
			t.Errorf("String = %q, want %q", s.String(), want)
		}
	}
}

// goalLongRange is 101 years: 1212 months, more than MaxParts.
func goalLongRange(t *testing.T) revenue.Period {
	r, err := revenue.Range(revenue.Date(1900, 1, 1), revenue.Date(2000, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// FuzzGoalSplit checks that every split reconciles to the minor unit and
// that no input panics.
func FuzzGoalSplit(f *testing.F) {
	f.Add(int64(10000), 1.0, 1.0, 1.0, uint8(0))
	f.Add(int64(1), 0.5, 0.3, 0.2, uint8(3))
	f.Add(int64(-5), 0.0, 0.0, 0.0, uint8(1))
	f.Add(int64(9223372036854775807), 1e308, 1e-308, 3.0, uint8(2))
	f.Fuzz(func(t *testing.T, amount int64, w1, w2, w3 float64, method uint8) {
		q1 := revenue.Period{Start: revenue.Date(2024, 1, 1), End: revenue.Date(2024, 4, 1)}
		splits := []Split{SplitEqual(), SplitByDays(), SplitByWorkingDays(revenue.MondayToFriday(revenue.Date(2024, 1, 1))), SplitByWeights(w1, w2, w3)}
		g, err := Target{q1, usd(amount)}.Split(splits[int(method)%len(splits)], q1.Months())
		if err != nil {
			if amount > 0 && method%4 != 3 {
				t.Errorf("Split(%d) by %v: %v", amount, splits[int(method)%len(splits)], err)
			}
			return
		}
		var sum int64
		for _, p := range g.Parts {
			if p.Amount.Amount < 0 {
				t.Errorf("negative part %v", p.Amount)
			}
			sum += p.Amount.Amount
		}
		if sum != amount {
			t.Errorf("parts add up to %d, want %d", sum, amount)
		}
	})
}
