package attribution

import (
	"fmt"

	"github.com/revengine/revengine/internal/diag"
)

// An Error is one problem with the input or a journey: the module's one
// error type. Its message reads "name:line:col: subject: message" — the
// input's name, the 1-based line and field number, and the column name
// (or `journey "ID"`) at fault — with the parts that do not apply left out.
// ID holds the column name or journey id, Kind says which ("" for a
// column, "journey" for a journey), and Err the sentinel errors.Is
// matches (ErrSyntax, ErrLineTooLong, ErrInvalidJourney, ...).
type Error = diag.Error

// Errors is every problem found in one input, in line order; its Err
// method is nil when it is empty. errors.As finds the first *Error through
// it and errors.Is any element's sentinel.
type Errors = diag.List

// Errors shared with the rest of the module; test with errors.Is.
var (
	// ErrSyntax marks malformed CSV: a missing or unknown column, a wrong
	// field count, a bad quote, a value that does not parse.
	ErrSyntax = diag.ErrSyntax
	// ErrLineTooLong marks a line or record longer than the bound
	// (MaxRecordBytes), or a record with too many fields.
	ErrLineTooLong = diag.ErrLineTooLong
	// ErrInternal marks a bug in revengine, reported instead of a panic.
	ErrInternal = diag.ErrInternal
)

// MaxErrors is how many problems a reader reports; when there are more, the
// list ends with one more Error (Code diag.CodeLimit, no line) that counts
// the rest.
const MaxErrors = 100

// errorList collects a reader's problems, the first MaxErrors of them.
type errorList struct {
	name  string
	list  Errors
	total int
}

func (l *errorList) add(e *Error) {
	l.total++
	if len(l.list) < MaxErrors {
		l.list = append(l.list, e)
	}
}

func (l *errorList) empty() bool { return l.total == 0 }

// err returns the problems as an Errors list (nil when there are none); a
// single problem is returned as its *Error.
func (l *errorList) err() error {
	switch {
	case l.total == 0:
		return nil
	case l.total == 1:
		return l.list[0]
	}
	out := l.list
	if more := l.total - len(l.list); more > 0 {
		out = append(out[:len(out):len(out)], &Error{File: l.name, Code: diag.CodeLimit,
			Msg: fmt.Sprintf("... and %d more problems (the first %d are listed)", more, MaxErrors)})
	}
	return out
}
