package revenue

import (
	"time"

	"github.com/revengine/revengine/record"
)

// Period is a half-open range of calendar days [Start, End), the module's
// one period type; it lives in package record so that spend rows and KPIs
// share it. See record.Period.
type Period = record.Period

// Date returns midnight UTC of the given calendar date (record.Date).
func Date(year int, month time.Month, day int) time.Time { return record.Date(year, month, day) }

// Day returns midnight UTC of t's UTC calendar date (record.Day): the form
// every date of this package and its sub-packages takes.
func Day(t time.Time) time.Time { return record.Day(t) }

// Month returns the calendar month (record.Month).
func Month(year int, m time.Month) Period { return record.Month(year, m) }

// Quarter returns calendar quarter q (1–4) of year (record.Quarter).
func Quarter(year, q int) (Period, error) { return record.Quarter(year, q) }

// Year returns the calendar year (record.Year).
func Year(year int) Period { return record.Year(year) }

// Range returns the period from the date of first through the date of last,
// both included (record.Range).
func Range(first, last time.Time) (Period, error) { return record.Range(first, last) }

// ParsePeriod reads "2024", "2024-Q1", "2024-03" or
// "2024-01-15..2024-06-30" (record.ParsePeriod), the module's one period
// grammar. Errors wrap ErrInvalidInput.
func ParsePeriod(s string) (Period, error) { return record.ParsePeriod(s) }
