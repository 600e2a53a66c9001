// Package diag is the one error type of the module: a problem with its place
// (file, line, column), a stable code, the subject it concerns (a rule, a
// question, a column) and a sentinel that errors.Is matches. Every public
// package exports it under its own name (scoring.Error, survey.Error,
// attribution.Error are this type), so errors.As works the same everywhere.
//
// Every message has the form
//
//	name:line:col: subject: message
//
// leaving out the parts that are unknown: "rules.yaml:14:9: rule
// "enterprise": unknown field compnay_size", "touches.csv:3:2: timestamp:
// not an RFC 3339 time".
package diag

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Code classifies a problem so that callers can react to it without parsing
// message text. Codes are stable strings.
type Code string

// The codes shared by every reader of the module. Packages add their own.
const (
	CodeSyntax     Code = "syntax"      // input that does not parse (YAML, CSV, JSON)
	CodeUnknownKey Code = "unknown_key" // a key or column the format does not have
	CodeMissing    Code = "missing"     // a required key or column is absent
	CodeInvalid    Code = "invalid"     // a value of the wrong shape
	CodeDuplicate  Code = "duplicate"   // a duplicate id, key or column
	CodeDuration   Code = "duration"    // a duration that does not parse
	CodeLimit      Code = "limit"       // a bound on size or cost exceeded
	CodeNotFinite  Code = "not_finite"  // NaN or Inf
	CodeInternal   Code = "internal"    // a bug in revengine, reported instead of a crash
)

// Sentinels shared by the whole module; the public packages re-export them.
var (
	// ErrSyntax reports input that does not parse: malformed YAML, CSV or
	// JSON, a missing or unknown column.
	ErrSyntax = errors.New("syntax error")
	// ErrLineTooLong reports a line or record longer than the reader's bound.
	ErrLineTooLong = errors.New("line too long")
	// ErrInternal reports a bug in revengine: a panic inside the library,
	// recovered and returned instead of crashing the caller.
	ErrInternal = errors.New("internal error")
)

// Subject is what a problem concerns: a kind ("rule", "stage", "question")
// and an id. Either may be empty.
type Subject struct {
	Kind string
	ID   string
}

// String renders the subject as it appears in messages: `rule "enterprise"`
// for a kind and an id, the bare id (a column name) without a kind, the kind
// alone without an id.
func (s Subject) String() string {
	switch {
	case s.Kind != "" && s.ID != "":
		return s.Kind + " " + strconv.Quote(s.ID)
	case s.ID != "":
		return s.ID
	}
	return s.Kind
}

// Error is one problem with its place. Structured fields hold data, not
// display text: ID is the rule or question id, Kind what it is.
type Error struct {
	File   string `json:"file,omitempty"`   // the input's name, e.g. "rules.yaml" or "<stdin>"
	Line   int    `json:"line,omitempty"`   // 1-based; 0 when unknown
	Column int    `json:"column,omitempty"` // 1-based (runes in YAML, field number in CSV, bytes in JSON); 0 when unknown
	Code   Code   `json:"code,omitempty"`   // the class of problem
	Kind   string `json:"kind,omitempty"`   // what ID names: "rule", "stage", "grade", "question", "field"...
	ID     string `json:"id,omitempty"`     // the id of the subject, or a column name
	Msg    string `json:"message"`          // what is wrong, for people; not promised stable
	Err    error  `json:"-"`                // the sentinel errors.Is matches, or a wrapped cause
	Source string `json:"source,omitempty"` // a window of the offending source line, for Caret

	srcCol int // Column within Source (Source may be a window of a long line)
}

// Error formats e as "name:line:col: subject: message".
func (e *Error) Error() string {
	var b strings.Builder
	pos := false
	if e.File != "" {
		b.WriteString(e.File)
		pos = true
	}
	if e.Line > 0 {
		if pos {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Column))
		}
		pos = true
	}
	if pos {
		b.WriteString(": ")
	}
	if s := (Subject{e.Kind, e.ID}).String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Msg == "" && e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel or cause.
func (e *Error) Unwrap() error { return e.Err }

// Subject returns the kind and id of e.
func (e *Error) Subject() Subject { return Subject{e.Kind, e.ID} }

// Caret window: how many runes of a long source line are kept around the
// column, so that an error on a 1 MB line prints one short line.
const (
	windowBefore = 60
	windowAfter  = 40
)

// SetSource records the source line of e for Caret, keeping only a window
// of at most about a hundred runes around e.Column. It takes time linear in
// the column, never in the whole line beyond the window.
func (e *Error) SetSource(line string) {
	line = strings.TrimRight(line, "\r")
	if e.Column <= 0 {
		e.Source, e.srcCol = clip(line, windowBefore+windowAfter), 0
		return
	}
	// Find the byte offsets of runes column-1-windowBefore and column-1+windowAfter.
	target := e.Column - 1
	start, startRune := 0, 0
	i, r := 0, 0
	end := len(line)
	for i < len(line) {
		if r == target-windowBefore {
			start, startRune = i, r
		}
		if r == target+windowAfter {
			end = i
			break
		}
		_, n := utf8.DecodeRuneInString(line[i:])
		i += n
		r++
	}
	if target-windowBefore <= 0 {
		start, startRune = 0, 0
	}
	src := line[start:end]
	col := target - startRune // 0-based within src
	if start > 0 {
		src = "…" + src
		col++
	}
	if end < len(line) {
		src += "…"
	}
	e.Source, e.srcCol = src, col+1
}

func clip(s string, runes int) string {
	i, r := 0, 0
	for i < len(s) {
		if r == runes {
			return s[:i] + "…"
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
		r++
	}
	return s
}

// Caret returns the source window followed by a line with a caret under
// the column, or "" when the source or the column is unknown.
func (e *Error) Caret() string {
	col := e.srcCol
	if col == 0 && e.Source != "" && e.Column > 0 && utf8.RuneCountInString(e.Source) >= e.Column-1 {
		col = e.Column // a Source set by hand: the whole line
	}
	if e.Source == "" || col <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(e.Source)
	b.WriteByte('\n')
	n := 0
	for _, r := range e.Source {
		if n >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	b.WriteByte('^')
	return b.String()
}

// List is every problem found in one input, sorted by position. Readers
// return all the problems they find at once as a List; errors.As into *Error
// finds the first, errors.Is matches any element's sentinel.
type List []*Error

// Error lists the problems, one per line.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns l as an error, or nil when there are no problems.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the elements, so errors.Is and errors.As look into each.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Sort orders the list by file, line and column; problems at one place keep
// the order they were found in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// Recover turns a panic into an ErrInternal error stored in *err. Use it
// deferred at every public entry point that runs untrusted input through
// library code:
//
//	defer diag.Recover(&err, "scoring: score")
//
// A panic is a bug in revengine; the caller gets an error and the process
// lives. The message carries the panic value and the top of the stack so
// that the bug can be reported.
func Recover(err *error, where string) {
	r := recover()
	if r == nil {
		return
	}
	*err = Internal(where, r)
}

// Internal returns the ErrInternal error for a recovered panic value r.
func Internal(where string, r any) error {
	stack := string(debug.Stack())
	if len(stack) > 2048 {
		stack = stack[:2048] + "…"
	}
	return &Error{Code: CodeInternal, Err: ErrInternal,
		Msg: fmt.Sprintf("%s: internal error (a bug in revengine, please report it): panic: %v\n%s", where, r, stack)}
}
