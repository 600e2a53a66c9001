package record

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/revengine/revengine/internal/diag"
)

// Period is a half-open range of calendar days [Start, End): Start is the
// first day in the period, End the first day after it. Both are midnight UTC;
// constructors normalise any time to its UTC calendar date. The zero Period is
// empty.
type Period struct {
	Start time.Time // first day, midnight UTC
	End   time.Time // first day after the period, midnight UTC
}

// Date returns midnight UTC of the given calendar date.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// Day returns midnight UTC of t's UTC calendar date: the form every date
// of the module's KPI packages takes.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return Date(y, m, d)
}

// Month returns the calendar month.
func Month(year int, m time.Month) Period {
	s := Date(year, m, 1)
	return Period{s, s.AddDate(0, 1, 0)}
}

// Quarter returns calendar quarter q (1–4) of year. Other q are an error.
func Quarter(year, q int) (Period, error) {
	if q < 1 || q > 4 {
		return Period{}, fmt.Errorf("%w: quarter %d not in 1..4", diag.ErrInvalidInput, q)
	}
	s := Date(year, time.Month(3*(q-1)+1), 1)
	return Period{s, s.AddDate(0, 3, 0)}, nil
}

// Year returns the calendar year.
func Year(year int) Period {
	s := Date(year, time.January, 1)
	return Period{s, s.AddDate(1, 0, 0)}
}

// Range returns the custom period from the date of first through the date of
// last, both included. last before first is an error.
func Range(first, last time.Time) (Period, error) {
	s, l := Day(first), Day(last)
	if l.Before(s) {
		return Period{}, fmt.Errorf("%w: period ends %s before it starts %s",
			diag.ErrInvalidInput, l.Format(time.DateOnly), s.Format(time.DateOnly))
	}
	return Period{s, l.AddDate(0, 0, 1)}, nil
}

// Days is the number of calendar days in p.
func (p Period) Days() int {
	if !p.End.After(p.Start) {
		return 0
	}
	// Midnight UTC to midnight UTC: always whole days, no DST.
	return int(p.End.Sub(p.Start).Hours() / 24)
}

// Contains reports whether t falls on a day of p (t's UTC date).
func (p Period) Contains(t time.Time) bool {
	d := Day(t)
	return !d.Before(p.Start) && d.Before(p.End)
}

// Last returns the last day of p.
func (p Period) Last() time.Time { return p.End.AddDate(0, 0, -1) }

// Months splits p into calendar months, the first and last cut to p.
func (p Period) Months() []Period {
	var out []Period
	for s := p.Start; s.Before(p.End); {
		e := Date(s.Year(), s.Month(), 1).AddDate(0, 1, 0)
		if e.After(p.End) {
			e = p.End
		}
		out = append(out, Period{s, e})
		s = e
	}
	return out
}

// Quarters splits p into calendar quarters (January–March, …), the first
// and last cut to p, as Months does for months.
func (p Period) Quarters() []Period {
	var out []Period
	for s := p.Start; s.Before(p.End); {
		qm := time.Month((int(s.Month())-1)/3*3 + 1)
		e := Date(s.Year(), qm, 1).AddDate(0, 3, 0)
		if e.After(p.End) {
			e = p.End
		}
		out = append(out, Period{s, e})
		s = e
	}
	return out
}

// String formats p as "2024-01" for a calendar month, "2024" for a calendar
// year, "2024-Q1" for a calendar quarter, else "2024-01-15..2024-02-14"
// (first and last day).
func (p Period) String() string {
	s := p.Start
	if s.Day() == 1 && p.End.Day() == 1 {
		switch {
		case s.Month() == time.January && p.End.Equal(s.AddDate(1, 0, 0)):
			return fmt.Sprintf("%04d", s.Year())
		case p.End.Equal(s.AddDate(0, 1, 0)):
			return s.Format("2006-01")
		case (s.Month()-1)%3 == 0 && p.End.Equal(s.AddDate(0, 3, 0)):
			return fmt.Sprintf("%04d-Q%d", s.Year(), (int(s.Month())-1)/3+1)
		}
	}
	return s.Format(time.DateOnly) + ".." + p.Last().Format(time.DateOnly)
}

var rangeRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$`)

// ParsePeriod reads a period in the forms Period.String writes: "2024" (a
// calendar year), "2024-Q1" (a calendar quarter), "2024-03" (a calendar
// month) or "2024-01-15..2024-06-30" (first and last day, both included).
// Years run from 0001 to 9999. It is the one period grammar of the module:
// target files, flags and JSON all read periods with it. Errors wrap
// money.ErrInvalidInput.
func ParsePeriod(s string) (Period, error) {
	bad := invalidf("%q is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD", s)
	if m := rangeRE.FindStringSubmatch(s); m != nil {
		first, err1 := time.Parse(time.DateOnly, m[1])
		last, err2 := time.Parse(time.DateOnly, m[2])
		if err1 != nil || err2 != nil || first.Year() < 1 {
			return Period{}, bad
		}
		return Range(first, last)
	}
	year := func(y string) (int, bool) {
		for _, c := range y {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(y)
		return n, err == nil && n >= 1
	}
	switch {
	case len(s) == 4:
		if y, ok := year(s); ok {
			return Year(y), nil
		}
	case len(s) == 7 && s[4] == '-' && s[5] == 'Q':
		y, ok := year(s[:4])
		if q := s[6]; ok && q >= '0' && q <= '9' {
			return Quarter(y, int(q-'0'))
		}
	case len(s) == 7 && s[4] == '-':
		y, ok := year(s[:4])
		m, okm := year(s[5:])
		if ok && okm && m <= 12 {
			return Month(y, time.Month(m)), nil
		}
	}
	return Period{}, bad
}

// MarshalText encodes p as Period.String does ("2024-Q1"); the zero Period
// is "". Periods therefore appear in JSON as strings.
func (p Period) MarshalText() ([]byte, error) {
	if p == (Period{}) {
		return nil, nil
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes the forms of ParsePeriod; "" is the zero Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// invalid is an error whose message is exactly its text and which matches
// diag.ErrInvalidInput.
type invalid struct{ msg string }

func (e *invalid) Error() string { return e.msg }
func (e *invalid) Unwrap() error { return diag.ErrInvalidInput }

func invalidf(format string, a ...any) error { return &invalid{fmt.Sprintf(format, a...)} }
