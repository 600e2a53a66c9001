package survey

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinel errors of the readers, wrapped by *Error. Test with errors.Is.
var (
	// ErrSyntax reports malformed YAML or CSV.
	ErrSyntax = errors.New("survey: syntax error")
	// ErrDefinition reports an invalid survey definition: a missing,
	// unknown, duplicate or ill-formed field.
	ErrDefinition = errors.New("survey: invalid definition")
	// ErrTooManyQuestions reports an 11th question; a pulse survey has at
	// most MaxQuestions.
	ErrTooManyQuestions = errors.New("survey: too many questions")
	// ErrUnknownQuestion reports an answer to, or a column for, a question
	// the survey does not define (or, in a Go-value Response, a segment it
	// does not declare).
	ErrUnknownQuestion = errors.New("survey: unknown question")
	// ErrType reports an answer of the wrong type, such as "seven" or 7.5
	// for a Likert question.
	ErrType = errors.New("survey: wrong answer type")
	// ErrRequired reports a missing answer to a question that is not
	// optional, or a missing respondent id, wave or column.
	ErrRequired = errors.New("survey: required")
	// ErrOption reports a single-choice answer that is not one of the options.
	ErrOption = errors.New("survey: not an option")
	// ErrDuplicate reports a duplicate column or a respondent answering
	// twice in one wave.
	ErrDuplicate = errors.New("survey: duplicate")
)

// An Error is one problem in a survey definition or a response, with its
// place. Err is one of the sentinel errors (ErrSyntax, ErrDefinition,
// ErrOutOfRange, …) and is what errors.Is matches; Msg is for people and
// not promised to be stable.
type Error struct {
	File     string // source name, e.g. "pulse.yaml"; empty for Go values
	Line     int    // 1-based line, 0 if unknown
	Column   int    // 1-based column (YAML) or field number (CSV), 0 if unknown
	Record   int    // 1-based index of a Go-value response, 0 otherwise
	Question string // question id concerned, if any
	Err      error  // the sentinel
	Msg      string
}

// Error formats the error as "file:line:col: message", leaving out the
// parts that are unknown; Go-value responses are "response N: message".
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Line > 0:
		if e.File != "" {
			b.WriteString(e.File + ":")
		}
		fmt.Fprintf(&b, "%d:", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, "%d:", e.Column)
		}
		b.WriteString(" ")
	case e.Record > 0:
		fmt.Fprintf(&b, "response %d: ", e.Record)
	case e.File != "":
		b.WriteString(e.File + ": ")
	}
	if e.Question != "" {
		fmt.Fprintf(&b, "question %q: ", e.Question)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// Errors is a list of problems, sorted by position. Every reader returns
// all the problems it finds at once, as an Errors.
type Errors []*Error

// Error joins the messages, one per line.
func (l Errors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Err returns nil when the list is empty and the list itself otherwise.
func (l Errors) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the errors, so errors.Is and errors.As look into each one.
func (l Errors) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// sort orders the list by record, line and column; the sort is stable so
// problems at one place keep the order they were found in.
func (l Errors) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Record != b.Record {
			return a.Record < b.Record
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}
