package scoring

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies a rule-file problem so that callers can react to it
// without parsing message text. Codes are stable.
type Code string

// The problem codes of a rules file.
const (
	CodeSyntax        Code = "syntax"         // YAML that does not parse
	CodeUnknownKey    Code = "unknown_key"    // a key the format does not have
	CodeMissing       Code = "missing"        // a required key is absent
	CodeInvalid       Code = "invalid"        // a value of the wrong shape
	CodeDuplicate     Code = "duplicate"      // a duplicate id or name
	CodeUnknownName   Code = "unknown_name"   // an expression names an unknown field, list, score or property
	CodeType          Code = "type"           // an expression of the wrong type
	CodeExpr          Code = "expr"           // any other expression error
	CodeDuration      Code = "duration"       // a duration that does not parse
	CodeUnknownStage  Code = "unknown_stage"  // a stage id that is not declared
	CodeLimit         Code = "limit"          // a bound on size or cost exceeded
	CodeNotFinite     Code = "not_finite"     // NaN or Inf points
	CodeUnknownTarget Code = "unknown_target" // a route destination or owner that is not declared
)

// Error is one problem in a rules file, with its position.
type Error struct {
	File   string `json:"file"`
	Line   int    `json:"line"`             // 1-based; 0 when unknown
	Column int    `json:"column"`           // 1-based; 0 when unknown
	Rule   string `json:"rule,omitempty"`   // the rule, stage, grade or field it concerns
	Code   Code   `json:"code"`             // the class of problem
	Msg    string `json:"message"`          // what is wrong
	Source string `json:"source,omitempty"` // the offending source line, for a caret display
}

// Error formats e as "file:line:col: rule "id": message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Rule != "" {
		fmt.Fprintf(&b, "%s: ", e.Rule)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Caret returns the offending source line followed by a line with a caret
// under the column, or "" when the source line is unknown.
func (e *Error) Caret() string {
	if e.Source == "" || e.Column <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(e.Source)
	b.WriteByte('\n')
	col := 0
	for _, r := range e.Source {
		if col >= e.Column-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	b.WriteByte('^')
	return b.String()
}

// Errors is every problem found in a rules file, sorted by position. A
// RuleSet is only returned when there are none. Use errors.As to get it from
// the error Load returns.
type Errors []*Error

// Error lists the problems, one per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns es as an error, or nil when there are no problems.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// Sentinel errors for evaluation. Test with errors.Is.
var (
	// ErrLead reports lead data that does not fit the declared fields.
	ErrLead = errors.New("scoring: invalid lead")
	// ErrEval reports a rule that failed while evaluating a lead.
	ErrEval = errors.New("scoring: rule evaluation failed")
	// ErrLimit reports lead data over a configured bound.
	ErrLimit = errors.New("scoring: limit exceeded")
)

// LeadError is a problem with one lead's data. It matches ErrLead.
type LeadError struct {
	Field string // the field, "events[3].time" style for events; "" for the lead as a whole
	Msg   string
}

func (e *LeadError) Error() string {
	if e.Field == "" {
		return "lead: " + e.Msg
	}
	return fmt.Sprintf("lead: field %s: %s", e.Field, e.Msg)
}

// Is reports whether target is ErrLead.
func (e *LeadError) Is(target error) bool { return target == ErrLead }

// EvalError is a rule that failed at evaluation time, such as a division by
// zero or points that are not finite. It matches ErrEval. The position is
// the rule's expression in the rules file.
type EvalError struct {
	File   string
	Line   int
	Column int
	Rule   string
	Err    error
}

func (e *EvalError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s: %v", e.File, e.Line, e.Column, e.Rule, e.Err)
}

// Unwrap returns the underlying error.
func (e *EvalError) Unwrap() error { return e.Err }

// Is reports whether target is ErrEval.
func (e *EvalError) Is(target error) bool { return target == ErrEval }
