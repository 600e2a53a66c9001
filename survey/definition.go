package survey

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/lineio"
	"github.com/revengine/revengine/internal/yamlx"
)

// MaxQuestions is the most questions a pulse survey may have.
const MaxQuestions = 10

// DefaultMaxSourceBytes is the size bound of a definition when no
// MaxSourceBytes option is given: 1 MiB, so a runaway input cannot
// exhaust memory.
const DefaultMaxSourceBytes = 1 << 20

// Cadence is how often a pulse survey runs. It is descriptive: wave labels
// are not checked against it.
type Cadence string

// The cadences a pulse survey may have.
const (
	Weekly    Cadence = "weekly"
	Monthly   Cadence = "monthly"
	Quarterly Cadence = "quarterly"
)

// Kind is the type of a question. (It is called Kind because "type" is a
// Go keyword; in YAML the field is "type".)
type Kind string

// The question kinds.
const (
	// ENPS is an employee Net Promoter question, answered 0–10 on the
	// Standard scale.
	ENPS Kind = "enps"
	// Likert is a 1–5 agreement question; 4 and 5 are favourable, 3
	// neutral, 1 and 2 unfavourable.
	Likert Kind = "likert"
	// Choice is a single-choice question; the answer is one of Options.
	Choice Kind = "choice"
	// Text is a free-text comment.
	Text Kind = "text"
)

// Likert bounds and the bands of the 5-point scale: 1–2 unfavourable, 3
// neutral, 4–5 favourable.
const (
	likertMin        = 1
	likertMax        = 5
	likertNeutral    = 3
	likertFavourable = 4 // 4 and 5 are favourable
)

// A Question is one question of a pulse survey. Its JSON encoding has the
// stable names id, type, text, options and optional, as in YAML.
type Question struct {
	ID       string   `json:"id"`                 // column name in the responses, e.g. "enps"
	Kind     Kind     `json:"type"`               // enps, likert, choice or text
	Text     string   `json:"text"`               // the wording shown to respondents
	Options  []string `json:"options,omitempty"`  // the choices, for Choice only
	Optional bool     `json:"optional,omitempty"` // an empty answer is a skipped answer, not an error
}

// Reserved column names of the responses.
const (
	ColumnRespondent = "respondent"
	ColumnWave       = "wave"
)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// A Survey is a validated pulse-survey definition. It is immutable and safe
// for concurrent use by multiple goroutines.
type Survey struct {
	name      string
	cadence   Cadence
	segments  []string
	questions []Question
	byID      map[string]int
	minGroup  int // pinned minimum group size; 0: not pinned
}

// MinThreshold is the absolute floor of the anonymity threshold: no
// definition, option or flag shows a group of fewer than 3 respondents.
const MinThreshold = 3

// maxMinGroupSize bounds a pinned minimum group size.
const maxMinGroupSize = 1_000_000

// MinGroupSize returns the minimum group size the definition pins
// ("min_group_size: 7"), or 0 when it pins none. A Report's threshold is
// this minimum (DefaultThreshold when none); WithThreshold may raise it,
// never lower it.
func (s *Survey) MinGroupSize() int { return s.minGroup }

// WithMinGroupSize returns a copy of the survey that pins a minimum group
// size of n respondents, as "min_group_size: n" does in YAML: for a survey
// built with New. n below MinThreshold is ErrDefinition.
func (s *Survey) WithMinGroupSize(n int) (*Survey, error) {
	if n < MinThreshold || n > maxMinGroupSize {
		return nil, fmt.Errorf("%w: min_group_size %d: want %d to %d", ErrDefinition, n, MinThreshold, maxMinGroupSize)
	}
	c := *s
	c.minGroup = n
	return &c, nil
}

// Name returns the survey's name.
func (s *Survey) Name() string { return s.name }

// Cadence returns how often the survey runs.
func (s *Survey) Cadence() Cadence { return s.cadence }

// Segments returns the names of the segment columns (team, location, …),
// in definition order.
func (s *Survey) Segments() []string { return append([]string(nil), s.segments...) }

// Questions returns a copy of the questions, in definition order.
func (s *Survey) Questions() []Question {
	out := make([]Question, len(s.questions))
	for i, q := range s.questions {
		q.Options = append([]string(nil), q.Options...)
		out[i] = q
	}
	return out
}

// Question returns the question with the id.
func (s *Survey) Question(id string) (Question, bool) {
	i, ok := s.byID[id]
	if !ok {
		return Question{}, false
	}
	q := s.questions[i]
	q.Options = append([]string(nil), q.Options...)
	return q, true
}

// New returns a survey defined by Go values, validated as Parse validates
// YAML. Problems are returned together as Errors, without positions.
func New(name string, cadence Cadence, questions []Question, segments ...string) (s *Survey, err error) {
	defer diag.Recover(&err, "survey: new")
	d := draft{name: name, cadence: string(cadence), hasName: true, hasCadence: true, hasQuestions: true}
	for _, seg := range segments {
		d.segments = append(d.segments, posString{v: seg})
	}
	for _, q := range questions {
		dq := draftQuestion{id: posString{v: q.ID}, kind: posString{v: string(q.Kind)},
			text: posString{v: q.Text}, optional: q.Optional,
			hasID: true, hasKind: true, hasText: true, hasOptions: q.Options != nil}
		for _, o := range q.Options {
			dq.options = append(dq.options, posString{v: o})
		}
		d.questions = append(d.questions, dq)
	}
	w := yamlx.New("", nil)
	s = d.build(w)
	if err := finish(w); err != nil {
		return nil, err
	}
	return s, nil
}

// A LoadOption changes how Parse, Load and LoadFile read a definition.
type LoadOption func(*loadConfig)

type loadConfig struct {
	maxBytes int
}

// MaxSourceBytes bounds the size of a definition (default
// DefaultMaxSourceBytes; n <= 0 means the default). A larger one is an
// error matching ErrSyntax, with the line the bound falls on.
func MaxSourceBytes(n int) LoadOption { return func(c *loadConfig) { c.maxBytes = n } }

func loadOptions(opts []LoadOption) loadConfig {
	c := loadConfig{}
	for _, o := range opts {
		o(&c)
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxSourceBytes
	}
	return c
}

// Parse reads a survey definition in YAML from src; name is the source's
// name in error messages. The document is a mapping:
//
//	name: Revenue team pulse          # required
//	cadence: monthly                  # required: weekly, monthly or quarterly
//	segments: [team, location]        # optional: metadata columns of the responses
//	questions:                        # required: 1 to 10
//	  - id: enps                      # required: the response column, [A-Za-z0-9][A-Za-z0-9_.-]*
//	    type: enps                    # required: enps (0–10), likert (1–5), choice, text
//	    text: How likely are you to recommend us as a place to work?
//	    optional: false               # optional, default false
//	  - id: tools
//	    type: choice
//	    text: Which tool slows you down most?
//	    options: [CRM, dialer, CPQ]   # choice only: at least two distinct options
//
// A UTF-8 byte order mark is dropped and "\r\n" line ends are accepted.
// Unknown keys, duplicate keys or ids, ids that clash with "respondent",
// "wave" or a segment, and an 11th question are errors. Every problem is
// reported (at most 50, then a count of the rest), each as
// `name:line:col: question "id": message` or `name:line:col: message`, in
// one Errors value sorted by position.
func Parse(name string, src []byte, opts ...LoadOption) (s *Survey, err error) {
	defer diag.Recover(&err, "survey: parse")
	cfg := loadOptions(opts)
	if len(src) > cfg.maxBytes {
		return nil, tooLarge(name, src, cfg.maxBytes)
	}
	src = bytes.TrimPrefix(src, []byte(lineio.BOM))
	w := yamlx.New(name, src)
	root := w.Parse(src, "definition")
	if root == nil {
		return nil, finish(w)
	}
	d := document(w, root)
	s = d.build(w)
	if err := finish(w); err != nil {
		return nil, err
	}
	return s, nil
}

// Load reads a survey definition in YAML from r, as Parse does; name is the
// input's name in error messages. A read error is returned in an Errors
// whose element unwraps to it.
func Load(r io.Reader, name string, opts ...LoadOption) (*Survey, error) {
	cfg := loadOptions(opts)
	data, err := io.ReadAll(io.LimitReader(r, int64(cfg.maxBytes)+1))
	if err != nil {
		return nil, Errors{{File: name, Err: err, Msg: err.Error()}}
	}
	if len(data) > cfg.maxBytes {
		return nil, tooLarge(name, data, cfg.maxBytes)
	}
	return Parse(name, data, opts...)
}

// LoadFile reads the survey definition in the file at path, as Parse does;
// the path is the name in error messages. A file that cannot be opened is
// the *os.PathError.
func LoadFile(path string, opts ...LoadOption) (*Survey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Load(f, path, opts...)
}

// tooLarge is the error of a definition over the bound, on the line where
// the bound falls.
func tooLarge(name string, src []byte, max int) error {
	line := bytes.Count(src[:max], []byte("\n")) + 1
	return Errors{{File: name, Line: line, Code: CodeLimit, Err: ErrSyntax,
		Msg: fmt.Sprintf("definition larger than %d bytes", max)}}
}

// maxLoadErrors bounds the problems a definition reports, as compilers do;
// a file with thousands of them is not a survey definition.
const maxLoadErrors = 50

// finish gives every problem of w its sentinel, sorts them and caps their
// number; it returns nil when there are none.
func finish(w *yamlx.Walker) error {
	l := w.Errs
	if len(l) == 0 {
		return nil
	}
	for _, e := range l {
		if e.Err != nil {
			continue
		}
		// The walker's own problems: duplicate keys, and shapes.
		if e.Code == diag.CodeDuplicate {
			e.Err = ErrDuplicate
		} else {
			e.Err = ErrDefinition
		}
	}
	l.Sort()
	if len(l) <= maxLoadErrors {
		return l
	}
	last := l[maxLoadErrors-1]
	out := append(Errors(nil), l[:maxLoadErrors]...)
	return append(out, &Error{File: last.File, Line: last.Line, Column: last.Column, Code: CodeLimit, Err: last.Err,
		Msg: fmt.Sprintf("too many errors (%d more not shown)", len(l)-maxLoadErrors)})
}

// posString is a scalar with the place it came from; line -1 means a
// problem with it was already reported.
type posString struct {
	v         string
	line, col int
}

type draftQuestion struct {
	line, col                           int // the question's mapping
	id, kind, text                      posString
	options                             []posString
	optsLine, optsCol                   int
	optional                            bool
	hasID, hasKind, hasText, hasOptions bool
}

type draft struct {
	name, cadence                     string
	nameAt, cadenceAt                 posString
	minGroupAt                        posString
	hasMinGroup                       bool
	segments                          []posString
	questions                         []draftQuestion
	questionsLine, questionsCol       int
	hasName, hasCadence, hasQuestions bool
	line, col                         int
}

// subject names question num for messages: `question "id"` when it has an
// id, else the prefix "question N: " in the message itself.
func subject(id string, num int) (diag.Subject, string) {
	if id = strings.TrimSpace(id); id != "" {
		return diag.Subject{Kind: "question", ID: id}, ""
	}
	return diag.Subject{}, fmt.Sprintf("question %d: ", num)
}

func scalar(w *yamlx.Walker, n *yaml.Node, what string, s diag.Subject) posString {
	v, ok := w.Scalar(n, what, s)
	if !ok {
		return posString{line: -1}
	}
	return posString{v: v, line: n.Line, col: n.Column}
}

func document(w *yamlx.Walker, root *yaml.Node) draft {
	d := draft{line: root.Line, col: root.Column}
	if root.Kind != yaml.MappingNode {
		w.Mapping(root, "survey", diag.Subject{}) // reports the shape
		// Reported; avoid a second round of "missing" errors.
		d.hasName, d.hasCadence, d.hasQuestions = true, true, true
		d.name, d.cadence = "-", string(Monthly)
		d.questionsLine = -1
		return d
	}
	for _, p := range w.Mapping(root, "survey", diag.Subject{}, "name", "cadence", "segments", "questions", "min_group_size") {
		v := p.Val
		switch p.Key.Value {
		case "name":
			d.hasName = true
			d.nameAt = scalar(w, v, "name", diag.Subject{})
			d.name = d.nameAt.v
		case "cadence":
			d.hasCadence = true
			d.cadenceAt = scalar(w, v, "cadence", diag.Subject{})
			d.cadence = d.cadenceAt.v
		case "min_group_size":
			d.hasMinGroup = true
			d.minGroupAt = scalar(w, v, "min_group_size", diag.Subject{})
		case "segments":
			for _, it := range w.Sequence(v, "segments", diag.Subject{}) {
				if s := scalar(w, it, "segment", diag.Subject{}); s.line >= 0 {
					d.segments = append(d.segments, s)
				}
			}
		case "questions":
			d.hasQuestions = true
			d.questionsLine, d.questionsCol = v.Line, v.Column
			if v.Kind != yaml.SequenceNode {
				d.questionsLine = -1 // reported by Sequence
			}
			for _, it := range w.Sequence(v, "questions", diag.Subject{}) {
				d.questions = append(d.questions, question(w, it, len(d.questions)+1))
			}
		}
	}
	return d
}

// idOf returns the id scalar of a question mapping, before the mapping is
// walked, so that every problem of the question can name it.
func idOf(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "id" && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
			return v.Value
		}
	}
	return ""
}

func question(w *yamlx.Walker, n *yaml.Node, num int) draftQuestion {
	q := draftQuestion{line: n.Line, col: n.Column}
	s, pre := subject(idOf(n), num)
	if n.Kind != yaml.MappingNode {
		w.Mapping(n, fmt.Sprintf("question %d", num), s) // reports the shape
		q.hasID, q.hasKind, q.hasText = true, true, true
		q.id.v, q.kind.v, q.text.v = fmt.Sprintf("#%d", num), string(Text), "-"
		q.id.line = -1 // reported; skip id checks
		return q
	}
	// The walker names the mapping in its messages ("question 2: unknown
	// key …"); with the question's id as the subject that is said already.
	mark := len(w.Errs)
	pairs := w.Mapping(n, fmt.Sprintf("question %d", num), s, "id", "type", "text", "options", "optional")
	if s.ID != "" {
		for _, e := range w.Errs[mark:] {
			e.Msg = strings.TrimPrefix(e.Msg, fmt.Sprintf("question %d: ", num))
		}
	}
	for _, p := range pairs {
		v := p.Val
		switch p.Key.Value {
		case "id":
			q.hasID = true
			q.id = scalar(w, v, pre+"id", s)
		case "type":
			q.hasKind = true
			q.kind = scalar(w, v, pre+"type", s)
		case "text":
			q.hasText = true
			q.text = scalar(w, v, pre+"text", s)
		case "optional":
			q.optional, _ = w.Bool(v, pre+"optional", s)
		case "options":
			q.hasOptions = true
			q.optsLine, q.optsCol = v.Line, v.Column
			for _, it := range w.Sequence(v, pre+"options", s) {
				if o := scalar(w, it, pre+"option", s); o.line >= 0 {
					q.options = append(q.options, o)
				}
			}
		}
	}
	return q
}

// build validates the draft, recording each problem in w at the recorded
// position; it returns the survey, which is valid only when w has no
// problems.
func (d draft) build(w *yamlx.Walker) *Survey {
	at := func(line, col int, s diag.Subject, code diag.Code, sentinel error, format string, a ...any) {
		if line < 0 {
			return // a problem already reported
		}
		w.ErrAt(line, col, s, code, format, a...).Err = sentinel
	}
	none := diag.Subject{}
	s := &Survey{name: strings.TrimSpace(d.name), cadence: Cadence(d.cadence), byID: map[string]int{}}
	switch {
	case !d.hasName:
		at(d.line, d.col, none, diag.CodeMissing, ErrRequired, "missing field \"name\"")
	case s.name == "":
		at(d.nameAt.line, d.nameAt.col, none, diag.CodeMissing, ErrDefinition, "name is empty")
	}
	switch {
	case !d.hasCadence:
		at(d.line, d.col, none, diag.CodeMissing, ErrRequired, "missing field \"cadence\"")
	case s.cadence != Weekly && s.cadence != Monthly && s.cadence != Quarterly:
		at(d.cadenceAt.line, d.cadenceAt.col, none, diag.CodeInvalid, ErrDefinition, "cadence %q: want weekly, monthly or quarterly", d.cadence)
	}
	if d.hasMinGroup && d.minGroupAt.line >= 0 {
		n, err := strconv.Atoi(strings.TrimSpace(d.minGroupAt.v))
		if err != nil || n < MinThreshold || n > maxMinGroupSize {
			at(d.minGroupAt.line, d.minGroupAt.col, none, diag.CodeInvalid, ErrDefinition,
				"min_group_size %q: want a whole number of respondents from %d (the absolute floor) to %d", d.minGroupAt.v, MinThreshold, maxMinGroupSize)
		} else {
			s.minGroup = n
		}
	}
	reserved := map[string]string{ColumnRespondent: "a reserved column", ColumnWave: "a reserved column"}
	for _, seg := range d.segments {
		name := strings.TrimSpace(seg.v)
		sub := diag.Subject{Kind: "segment", ID: seg.v}
		switch {
		case !idPattern.MatchString(name):
			at(seg.line, seg.col, sub, diag.CodeInvalid, ErrDefinition, "want letters, digits, '_', '.' or '-', starting with a letter or digit")
		case reserved[name] != "":
			msg := "duplicate segment"
			if reserved[name] == "a reserved column" {
				msg = "the name of a reserved column"
			}
			at(seg.line, seg.col, sub, diag.CodeDuplicate, ErrDuplicate, "%s", msg)
		default:
			reserved[name] = "already a segment"
			s.segments = append(s.segments, name)
		}
	}
	switch {
	case !d.hasQuestions:
		at(d.line, d.col, none, diag.CodeMissing, ErrRequired, "missing field \"questions\"")
	case len(d.questions) == 0:
		at(d.questionsLine, d.questionsCol, none, diag.CodeMissing, ErrDefinition, "questions: at least one question is required")
	}
	for i, dq := range d.questions {
		num := i + 1
		q := Question{ID: strings.TrimSpace(dq.id.v), Kind: Kind(strings.TrimSpace(dq.kind.v)),
			Text: strings.TrimSpace(dq.text.v), Optional: dq.optional}
		sub, pre := subject(q.ID, num)
		if dq.id.line < 0 {
			sub, pre = subject("", num)
		}
		if num == MaxQuestions+1 {
			at(dq.line, dq.col, sub, diag.CodeLimit, ErrTooManyQuestions, "%sa pulse survey has at most %d questions, this is question %d", pre, MaxQuestions, num)
		}
		ok := true
		switch {
		case !dq.hasID:
			at(dq.line, dq.col, sub, diag.CodeMissing, ErrRequired, "%smissing field \"id\"", pre)
			ok = false
		case !idPattern.MatchString(q.ID):
			at(dq.id.line, dq.id.col, sub, diag.CodeInvalid, ErrDefinition, "%sinvalid id: want letters, digits, '_', '.' or '-', starting with a letter or digit", pre)
			ok = false
		case reserved[q.ID] != "":
			at(dq.id.line, dq.id.col, sub, diag.CodeDuplicate, ErrDuplicate, "%sid is %s", pre, reserved[q.ID])
			ok = false
		}
		switch {
		case !dq.hasKind:
			at(dq.line, dq.col, sub, diag.CodeMissing, ErrRequired, "%smissing field \"type\"", pre)
		case q.Kind != ENPS && q.Kind != Likert && q.Kind != Choice && q.Kind != Text:
			at(dq.kind.line, dq.kind.col, sub, diag.CodeInvalid, ErrDefinition, "%stype %q: want enps, likert, choice or text", pre, dq.kind.v)
		}
		switch {
		case !dq.hasText:
			at(dq.line, dq.col, sub, diag.CodeMissing, ErrRequired, "%smissing field \"text\"", pre)
		case q.Text == "":
			at(dq.text.line, dq.text.col, sub, diag.CodeMissing, ErrDefinition, "%stext is empty", pre)
		}
		if q.Kind == Choice {
			if !dq.hasOptions || len(dq.options) < 2 {
				line, col := dq.optsLine, dq.optsCol
				if !dq.hasOptions {
					line, col = dq.line, dq.col
				}
				at(line, col, sub, diag.CodeMissing, ErrDefinition, "%sa choice question needs at least two options", pre)
			}
			seen := map[string]bool{}
			for _, o := range dq.options {
				v := strings.TrimSpace(o.v)
				switch {
				case v == "":
					at(o.line, o.col, sub, diag.CodeMissing, ErrDefinition, "%sempty option", pre)
				case seen[v]:
					at(o.line, o.col, sub, diag.CodeDuplicate, ErrDuplicate, "%sduplicate option %q", pre, v)
				default:
					seen[v] = true
					q.Options = append(q.Options, v)
				}
			}
		} else if dq.hasOptions {
			at(dq.optsLine, dq.optsCol, sub, diag.CodeInvalid, ErrDefinition, "%soptions are only for choice questions", pre)
		}
		if ok {
			reserved[q.ID] = fmt.Sprintf("already the id of question %d", num)
			s.byID[q.ID] = len(s.questions)
		}
		s.questions = append(s.questions, q)
	}
	return s
}
