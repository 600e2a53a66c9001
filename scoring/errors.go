package scoring

import (
	"errors"
	"fmt"

	"github.com/revengine/revengine/internal/diag"
)

// Code classifies a problem so that callers can react to it without parsing
// message text. Codes are stable.
type Code = diag.Code

// The problem codes of a rules file and of evaluation.
const (
	CodeSyntax             = diag.CodeSyntax     // YAML that does not parse
	CodeUnknownKey         = diag.CodeUnknownKey // a key the format does not have
	CodeMissing            = diag.CodeMissing    // a required key is absent
	CodeInvalid            = diag.CodeInvalid    // a value of the wrong shape
	CodeDuplicate          = diag.CodeDuplicate  // a duplicate id or name
	CodeDuration           = diag.CodeDuration   // a duration that does not parse
	CodeLimit              = diag.CodeLimit      // a bound on size or cost exceeded
	CodeNotFinite          = diag.CodeNotFinite  // NaN or Inf points
	CodeInternal           = diag.CodeInternal   // a bug in revengine, reported instead of a crash
	CodeUnknownName   Code = "unknown_name"      // an expression names an unknown field, list, score or property
	CodeType          Code = "type"              // an expression of the wrong type
	CodeExpr          Code = "expr"              // any other expression error
	CodeUnknownStage  Code = "unknown_stage"     // a stage id that is not declared
	CodeUnknownTarget Code = "unknown_target"    // a route destination or owner that is not declared
	CodeLead          Code = "lead"              // lead data that does not fit the declared fields
	CodeEval          Code = "eval"              // a rule that failed while evaluating a lead
)

// Error is one problem with its place: in a rules file (File, Line, Column
// of the offending node or expression), in a lead (Kind "lead field", ID
// the field), or in a rule that failed at evaluation time (Kind "rule", ID
// the rule id, the position of its expression). It is the one error type
// of the module (survey.Error and attribution.Error are the same type), so
// errors.As(err, &e) with e a *scoring.Error works on every error the
// package returns. Its message reads "name:line:col: subject: message".
//
// ID holds the id itself ("enterprise"), Kind what it is ("rule", "stage",
// "grade", "route", "lead field"); Caret draws the source line with a caret
// under the column.
type Error = diag.Error

// Errors is every problem found in a rules file, sorted by position. A
// RuleSet is only returned when there are none. errors.As finds it, or its
// first element as a *Error, in the error Load returns; errors.Is matches the
// sentinels of its elements.
type Errors = diag.List

// Sentinel errors. Test with errors.Is.
var (
	// ErrLead reports lead data that does not fit the declared fields.
	ErrLead = errors.New("scoring: invalid lead")
	// ErrEval reports a rule that failed while evaluating a lead.
	ErrEval = errors.New("scoring: rule evaluation failed")
	// ErrLimit reports lead data over a configured bound.
	ErrLimit = errors.New("scoring: limit exceeded")
	// ErrLineTooLong rejects an input line or array element longer than
	// MaxLineBytes. It is the module-wide sentinel.
	ErrLineTooLong = diag.ErrLineTooLong
	// ErrSyntax reports input that does not parse (a rules file's YAML, a
	// JSON array of leads). It is the module-wide sentinel.
	ErrSyntax = diag.ErrSyntax
	// ErrInternal reports a bug in revengine: a panic inside the library,
	// returned as an error instead of crashing the caller. It is never
	// ErrLead: bad data is never blamed for a bug.
	ErrInternal = diag.ErrInternal
)

// leadErr is a problem with one lead's data: field names the field
// ("events[3].time" style for events; "" for the lead as a whole).
func leadErr(field, format string, a ...any) *Error {
	e := &Error{Code: CodeLead, Err: ErrLead, ID: field, Msg: fmt.Sprintf(format, a...)}
	if field != "" {
		e.Kind = "lead field"
	} else {
		e.Kind = "lead"
	}
	return e
}

// limitErr is lead data over a bound (Limits): a lead error that also
// matches ErrLimit.
func limitErr(field, format string, a ...any) *Error {
	e := leadErr(field, format, a...)
	e.Err = errors.Join(ErrLead, ErrLimit)
	return e
}

// evalErr is a rule that failed at run time; it matches ErrEval and cause.
func newEvalErr(file string, line, col int, rule string, cause error) *Error {
	return &Error{File: file, Line: line, Column: col, Kind: "rule", ID: rule, Code: CodeEval,
		Msg: cause.Error(), Err: errors.Join(ErrEval, cause)}
}

// isLeadErr reports whether err is a lead-data problem.
func isLeadErr(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) && e.Code == CodeLead {
		return e, true
	}
	return nil, false
}
