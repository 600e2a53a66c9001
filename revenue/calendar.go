package revenue

import (
	"fmt"
	"time"
)

// Calendar says which days are working days, explicitly: a set of weekend
// weekdays and a list of holiday dates. There is no implicit locale; the zero
// Calendar has no weekend and no holidays, so every day is a working day.
// Holidays are taken at their UTC calendar date; duplicates are harmless.
//
// A Calendar is read, never modified, by this package; it is safe for
// concurrent use as long as the caller does not modify its slices.
type Calendar struct {
	Weekend  []time.Weekday // days of the week that are never working days
	Holidays []time.Time    // further non-working dates
}

// MondayToFriday returns the calendar whose weekend is Saturday and
// Sunday, with the given holidays.
func MondayToFriday(holidays ...time.Time) Calendar {
	return Calendar{Weekend: []time.Weekday{time.Saturday, time.Sunday}, Holidays: holidays}
}

// Validate reports a weekday outside Sunday..Saturday.
func (c Calendar) Validate() error {
	for i, w := range c.Weekend {
		if w < time.Sunday || w > time.Saturday {
			return fmt.Errorf("%w: calendar weekend[%d] = %d is not a weekday", errInvalid, i, int(w))
		}
	}
	return nil
}

// calWorkdays is a Calendar prepared for counting.
type calWorkdays struct {
	weekend  [7]bool
	holidays map[time.Time]bool
}

func (c Calendar) prepare() calWorkdays {
	var w calWorkdays
	for _, d := range c.Weekend {
		if d >= time.Sunday && d <= time.Saturday {
			w.weekend[d] = true
		}
	}
	w.holidays = make(map[time.Time]bool, len(c.Holidays))
	for _, h := range c.Holidays {
		w.holidays[Day(h)] = true
	}
	return w
}

func (w calWorkdays) isWorking(d time.Time) bool {
	return !w.weekend[d.Weekday()] && !w.holidays[d]
}

// count returns the working days in [from, to) (both midnight UTC).
func (w calWorkdays) count(from, to time.Time) int {
	n := 0
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if w.isWorking(d) {
			n++
		}
	}
	return n
}

// IsWorkingDay reports whether the UTC calendar date of t is a working day:
// neither a weekend weekday nor a holiday.
func (c Calendar) IsWorkingDay(t time.Time) bool {
	return c.prepare().isWorking(Day(t))
}

// WorkingDays returns the number of working days in p.
func (c Calendar) WorkingDays(p Period) int {
	return c.prepare().count(p.Start, p.End)
}
