package survey

import (
	"errors"

	"github.com/revengine/revengine/internal/diag"
)

// Sentinel errors of the readers, the Err of every *Error they return.
// Test with errors.Is.
var (
	// ErrSyntax reports malformed YAML or CSV, or a definition larger
	// than the bound set by MaxSourceBytes. It is the module's one
	// syntax sentinel, shared with the other packages.
	ErrSyntax = diag.ErrSyntax
	// ErrLineTooLong reports a CSV line or record longer than the bound
	// set by MaxRecordBytes.
	ErrLineTooLong = diag.ErrLineTooLong
	// ErrInternal reports a bug in revengine: a panic inside the package,
	// recovered and returned instead of crashing the caller.
	ErrInternal = diag.ErrInternal
	// ErrDefinition reports an invalid survey definition: a missing,
	// unknown or ill-formed field.
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
	// optional, or a missing respondent id, wave, column or field.
	ErrRequired = errors.New("survey: required")
	// ErrOption reports a single-choice answer that is not one of the options.
	ErrOption = errors.New("survey: not an option")
	// ErrDuplicate reports a duplicate key, id, option or column, or a
	// respondent answering twice in one wave.
	ErrDuplicate = errors.New("survey: duplicate")
)

// The module's error kinds, one sentinel per kind shared by every package
// (revenue.ErrZeroDenominator is ErrZeroDenominator, …). The statistics'
// own sentinels are kinds of these: ErrNoResponses matches ErrEmptyInput,
// ErrZeroVariance ErrZeroDenominator, ErrNegativeCount ErrNegativeAmount,
// ErrLevel ErrInvalidRate, ErrInvited ErrInconsistentInput, and ErrMargin,
// ErrVariance, ErrOutOfRange and ErrThreshold ErrInvalidInput.
var (
	ErrZeroDenominator   = diag.ErrZeroDenominator   // a zero denominator
	ErrCurrencyMismatch  = diag.ErrCurrencyMismatch  // money of two currencies
	ErrNegativeAmount    = diag.ErrNegativeAmount    // a negative amount or count
	ErrInvalidRate       = diag.ErrInvalidRate       // a rate, share or level outside its domain
	ErrEmptyInput        = diag.ErrEmptyInput        // no data
	ErrInconsistentInput = diag.ErrInconsistentInput // inputs that contradict each other
	ErrOverflow          = diag.ErrOverflow          // a result that does not fit
	ErrInvalidInput      = diag.ErrInvalidInput      // any other invalid argument
)

// kindError is a sentinel of this package that is also one of the
// module's error kinds: errors.Is matches both.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

func kind(msg string, k error) error { return &kindError{msg, k} }

// An Error is one problem in a survey definition or in a response, with
// its place. It is the module's one error type (the same type as
// scoring.Error and attribution.Error), so errors.As works alike
// everywhere. Its message has the form
//
//	name:line:col: subject: message
//
// leaving out the parts that are unknown:
//
//	pulse.yaml:7:11: question "mood": type "slider": want enps, likert, choice or text
//	responses.csv:12:7: question "tools": value 7 out of range 1–5
//	responses.csv:8:1: respondent: "e001" already answered wave "2026-06" at line 2
//	response "3": question "enps": answer required
//
// The fields hold data, not display text:
//
//   - File is the input's name ("pulse.yaml", "<stdin>"); empty for Go
//     values (New, Survey.Check).
//   - Line is 1-based: in YAML the line of the node, in CSV the line the
//     record starts on; 0 when unknown.
//   - Column is 1-based: in YAML the column (in runes) of the node, in CSV
//     the number of the field; 0 when unknown.
//   - Kind and ID name the subject: Kind "question" and the question's id;
//     Kind "segment" and a segment name; Kind "response" and the 1-based
//     index of a Go-value response; or no Kind and a column name
//     ("respondent", "wave", "q7") for a CSV column.
//   - Code classifies the problem (see the Code constants).
//   - Err is the sentinel errors.Is matches: ErrSyntax, ErrDefinition,
//     ErrOutOfRange, …; or, for a failed read, the I/O error.
//   - Msg is for people and not promised to be stable.
//
// Its JSON encoding has the stable names file, line, column, code, kind,
// id, message and source.
type Error = diag.Error

// Errors is every problem found in one input, sorted by position; every
// reader returns all the problems it finds at once, as an Errors. It is
// the module's one error list. Err is nil when the list is empty, and
// Unwrap returns the elements, so errors.As(err, &e) with e an *Error
// finds the first and errors.Is matches any element's sentinel.
type Errors = diag.List

// Code classifies a problem, so that callers need not parse messages.
// Codes are stable strings.
type Code = diag.Code

// The codes of this package's errors.
const (
	CodeSyntax     = diag.CodeSyntax     // YAML or CSV that does not parse
	CodeUnknownKey = diag.CodeUnknownKey // an unknown field, column, question or segment
	CodeMissing    = diag.CodeMissing    // a required field, column or answer is absent or empty
	CodeInvalid    = diag.CodeInvalid    // a value of the wrong shape, type or range
	CodeDuplicate  = diag.CodeDuplicate  // a duplicate key, id, option, column or response
	CodeLimit      = diag.CodeLimit      // a bound on size exceeded
	CodeInternal   = diag.CodeInternal   // a bug in revengine
)
