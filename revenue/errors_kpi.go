package revenue

import (
	"fmt"
	"strings"
)

// ParseError is a problem with one field or row of an input file. It wraps
// ErrInvalidInput (or the cause, such as ErrInvalidCurrency), so errors.Is
// works; its Error reads "file:line:column: field: message".
type ParseError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"` // 1-based; 0 when the whole row is at fault
	Field  string `json:"field,omitempty"`  // column name
	Msg    string `json:"message"`
	Err    error  `json:"-"` // the sentinel or cause
}

// Error formats e as "file:line:column: field: message".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	fmt.Fprintf(&b, ":%d", e.Line)
	if e.Column > 0 {
		fmt.Fprintf(&b, ":%d", e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// ParseErrors is every problem found in one input, in line order. A reader
// returns all of them at once rather than stopping at the first.
type ParseErrors []*ParseError

// Error lists the problems one per line.
func (es ParseErrors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the individual errors, for errors.Is and errors.As.
func (es ParseErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Err returns es as an error, or nil when es is empty.
func (es ParseErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// kpiErr is a sentinel's short form for messages: its text omits the
// "revenue: " prefix (the calling message has it already) and it unwraps to
// the sentinel, so errors.Is(err, ErrInvalidInput) still holds.
type kpiErr struct {
	base error
	msg  string
}

func (e *kpiErr) Error() string { return e.msg }
func (e *kpiErr) Unwrap() error { return e.base }

var (
	errInvalid  error = &kpiErr{ErrInvalidInput, "invalid input"}
	errDivZero  error = &kpiErr{ErrDivisionByZero, "division by zero"}
	errOverflow error = &kpiErr{ErrOverflow, "amount overflows int64 minor units"}
)
