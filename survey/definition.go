package survey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxQuestions is the most questions a pulse survey may have.
const MaxQuestions = 10

// maxDefinitionSize bounds what Load reads, so a runaway input cannot
// exhaust memory.
const maxDefinitionSize = 1 << 20

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
	// Likert is a 1–5 agreement question; 4 and 5 are favourable.
	Likert Kind = "likert"
	// Choice is a single-choice question; the answer is one of Options.
	Choice Kind = "choice"
	// Text is a free-text comment.
	Text Kind = "text"
)

// Likert bounds and the favourable threshold.
const (
	likertMin        = 1
	likertMax        = 5
	likertFavourable = 4 // 4 and 5 are favourable
)

// A Question is one question of a pulse survey.
type Question struct {
	ID       string   // column name in the responses, e.g. "enps"
	Kind     Kind     // enps, likert, choice or text
	Text     string   // the wording shown to respondents
	Options  []string // the choices, for Choice only
	Optional bool     // an empty answer is a skipped answer, not an error
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

// New returns a survey defined by Go values, validated as Load validates
// YAML. Problems are returned together as Errors.
func New(name string, cadence Cadence, questions []Question, segments ...string) (*Survey, error) {
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
	return d.build("")
}

// Load reads a survey definition in YAML from r; name is used in error
// messages. The document is a mapping:
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
// Unknown fields, duplicate keys or ids, ids that clash with "respondent",
// "wave" or a segment, and an 11th question are errors. Every problem is
// reported, each as "name:line:col: message", in one Errors value.
func Load(name string, r io.Reader) (s *Survey, err error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDefinitionSize+1))
	if err != nil {
		return nil, Errors{{File: name, Err: ErrSyntax, Msg: err.Error()}}
	}
	if len(data) > maxDefinitionSize {
		return nil, Errors{{File: name, Err: ErrSyntax, Msg: fmt.Sprintf("definition larger than %d bytes", maxDefinitionSize)}}
	}
	root, perr := parseYAML(data)
	if perr != nil {
		perr.File = name
		return nil, Errors{perr}
	}
	p := &yamlParser{file: name}
	d := p.document(root)
	s, err = d.build(name)
	if len(p.errs) > 0 {
		var all Errors
		all = append(all, p.errs...)
		var verr Errors
		if errors.As(err, &verr) {
			all = append(all, verr...)
		}
		all.sort()
		return nil, capErrors(all)
	}
	var verr Errors
	if errors.As(err, &verr) {
		return nil, capErrors(verr)
	}
	return s, err
}

// maxLoadErrors bounds the problems Load reports, as compilers do; a file
// with thousands of them is not a survey definition.
const maxLoadErrors = 50

func capErrors(l Errors) Errors {
	if len(l) <= maxLoadErrors {
		return l
	}
	last := l[maxLoadErrors-1]
	out := append(Errors(nil), l[:maxLoadErrors]...)
	return append(out, &Error{File: last.File, Line: last.Line, Column: last.Column, Err: last.Err,
		Msg: fmt.Sprintf("too many errors (%d more not shown)", len(l)-maxLoadErrors)})
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses one YAML document into a node, turning the parser's
// errors (and any panic inside it) into a positioned *Error.
func parseYAML(data []byte) (root *yaml.Node, perr *Error) {
	defer func() {
		if r := recover(); r != nil {
			root, perr = nil, &Error{Line: 1, Column: 1, Err: ErrSyntax, Msg: fmt.Sprintf("YAML parser failed: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, &Error{Line: 1, Column: 1, Err: ErrDefinition, Msg: "empty definition"}
		}
		return nil, yamlError(err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return nil, yamlError(err)
		}
		return nil, &Error{Line: next.Line, Column: next.Column, Err: ErrDefinition, Msg: "more than one YAML document"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &Error{Line: 1, Column: 1, Err: ErrDefinition, Msg: "empty definition"}
	}
	return doc.Content[0], nil
}

func yamlError(err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Line: line, Err: ErrSyntax, Msg: m[2]}
	}
	return &Error{Line: 1, Err: ErrSyntax, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// posString is a scalar with the place it came from.
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
	segments                          []posString
	questions                         []draftQuestion
	questionsLine, questionsCol       int
	hasName, hasCadence, hasQuestions bool
	line, col                         int
}

type yamlParser struct {
	file string
	errs Errors
}

func (p *yamlParser) errorf(n *yaml.Node, sentinel error, format string, a ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Column: col, Err: sentinel, Msg: fmt.Sprintf(format, a...)})
}

// mapping checks that n is a mapping and returns its key/value pairs,
// reporting duplicate and unknown keys.
func (p *yamlParser) mapping(n *yaml.Node, what string, known ...string) (keys []*yaml.Node, vals []*yaml.Node, ok bool) {
	if n.Kind == yaml.AliasNode {
		p.errorf(n, ErrDefinition, "%s: aliases are not supported", what)
		return nil, nil, false
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, ErrDefinition, "%s must be a mapping", what)
		return nil, nil, false
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, ErrDefinition, "%s: keys must be plain strings", what)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.errorf(k, ErrDuplicate, "%s: duplicate key %q (first at line %d)", what, k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		isKnown := false
		for _, kn := range known {
			if k.Value == kn {
				isKnown = true
			}
		}
		if !isKnown {
			p.errorf(k, ErrDefinition, "%s: unknown field %q (want one of %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		keys = append(keys, k)
		vals = append(vals, v)
	}
	return keys, vals, true
}

func (p *yamlParser) scalar(n *yaml.Node, what string) (posString, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, ErrDefinition, "%s must be a string", what)
		return posString{line: n.Line, col: n.Column}, false
	}
	return posString{v: n.Value, line: n.Line, col: n.Column}, true
}

func (p *yamlParser) list(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, ErrDefinition, "%s must be a list", what)
		return nil, false
	}
	return n.Content, true
}

func (p *yamlParser) document(root *yaml.Node) draft {
	d := draft{line: root.Line, col: root.Column}
	keys, vals, ok := p.mapping(root, "survey", "name", "cadence", "segments", "questions")
	if !ok {
		// Already reported; avoid a second round of "missing" errors.
		d.hasName, d.hasCadence, d.hasQuestions = true, true, true
		d.name, d.cadence = "-", string(Monthly)
		d.questions = nil
		d.questionsLine = -1
		return d
	}
	for i, k := range keys {
		v := vals[i]
		switch k.Value {
		case "name":
			d.hasName = true
			d.nameAt, _ = p.scalar(v, "name")
			d.name = d.nameAt.v
		case "cadence":
			d.hasCadence = true
			d.cadenceAt, _ = p.scalar(v, "cadence")
			d.cadence = d.cadenceAt.v
		case "segments":
			items, _ := p.list(v, "segments")
			for _, it := range items {
				if s, ok := p.scalar(it, "segment"); ok {
					d.segments = append(d.segments, s)
				}
			}
		case "questions":
			d.hasQuestions = true
			d.questionsLine, d.questionsCol = v.Line, v.Column
			items, ok := p.list(v, "questions")
			if !ok {
				d.questionsLine = -1 // reported
			}
			for _, it := range items {
				d.questions = append(d.questions, p.question(it, len(d.questions)+1))
			}
		}
	}
	return d
}

func (p *yamlParser) question(n *yaml.Node, num int) draftQuestion {
	q := draftQuestion{line: n.Line, col: n.Column}
	what := fmt.Sprintf("question %d", num)
	keys, vals, ok := p.mapping(n, what, "id", "type", "text", "options", "optional")
	if !ok {
		q.hasID, q.hasKind, q.hasText = true, true, true
		q.id.v, q.kind.v, q.text.v = fmt.Sprintf("#%d", num), string(Text), "-"
		q.id.line = -1 // reported; skip id checks
		return q
	}
	for i, k := range keys {
		v := vals[i]
		switch k.Value {
		case "id":
			q.hasID = true
			q.id, _ = p.scalar(v, what+": id")
		case "type":
			q.hasKind = true
			q.kind, _ = p.scalar(v, what+": type")
		case "text":
			q.hasText = true
			q.text, _ = p.scalar(v, what+": text")
		case "optional":
			s, ok := p.scalar(v, what+": optional")
			if !ok {
				continue
			}
			switch b := s.v; {
			case b == "true" || b == "True" || b == "TRUE":
				q.optional = true
			case b == "false" || b == "False" || b == "FALSE":
			default:
				p.errorf(v, ErrDefinition, "%s: optional must be true or false, not %q", what, s.v)
			}
		case "options":
			q.hasOptions = true
			q.optsLine, q.optsCol = v.Line, v.Column
			items, _ := p.list(v, what+": options")
			for _, it := range items {
				if s, ok := p.scalar(it, what+": option"); ok {
					q.options = append(q.options, s)
				}
			}
		}
	}
	return q
}

// build validates the draft; errors carry the recorded positions.
func (d draft) build(file string) (*Survey, error) {
	var errs Errors
	at := func(line, col int, sentinel error, format string, a ...any) {
		if line < 0 {
			return
		}
		errs = append(errs, &Error{File: file, Line: line, Column: col, Err: sentinel, Msg: fmt.Sprintf(format, a...)})
	}
	s := &Survey{name: strings.TrimSpace(d.name), cadence: Cadence(d.cadence), byID: map[string]int{}}
	switch {
	case !d.hasName:
		at(d.line, d.col, ErrRequired, "missing field \"name\"")
	case s.name == "":
		at(d.nameAt.line, d.nameAt.col, ErrDefinition, "name is empty")
	}
	switch {
	case !d.hasCadence:
		at(d.line, d.col, ErrRequired, "missing field \"cadence\"")
	case s.cadence != Weekly && s.cadence != Monthly && s.cadence != Quarterly:
		at(d.cadenceAt.line, d.cadenceAt.col, ErrDefinition, "cadence %q: want weekly, monthly or quarterly", d.cadence)
	}
	reserved := map[string]string{ColumnRespondent: "a reserved column", ColumnWave: "a reserved column"}
	for _, seg := range d.segments {
		name := strings.TrimSpace(seg.v)
		switch {
		case !idPattern.MatchString(name):
			at(seg.line, seg.col, ErrDefinition, "segment %q: want letters, digits, '_', '.' or '-', starting with a letter or digit", seg.v)
		case reserved[name] != "":
			at(seg.line, seg.col, ErrDuplicate, "segment %q is %s", name, reserved[name])
		default:
			reserved[name] = "already a segment"
			s.segments = append(s.segments, name)
		}
	}
	switch {
	case !d.hasQuestions:
		at(d.line, d.col, ErrRequired, "missing field \"questions\"")
	case len(d.questions) == 0:
		at(d.questionsLine, d.questionsCol, ErrDefinition, "questions: at least one question is required")
	}
	for i, dq := range d.questions {
		num := i + 1
		if num == MaxQuestions+1 {
			at(dq.line, dq.col, ErrTooManyQuestions, "question %d: a pulse survey has at most %d questions", num, MaxQuestions)
		}
		q := Question{ID: strings.TrimSpace(dq.id.v), Kind: Kind(strings.TrimSpace(dq.kind.v)),
			Text: strings.TrimSpace(dq.text.v), Optional: dq.optional}
		ok := true
		switch {
		case !dq.hasID:
			at(dq.line, dq.col, ErrRequired, "question %d: missing field \"id\"", num)
			ok = false
		case !idPattern.MatchString(q.ID):
			at(dq.id.line, dq.id.col, ErrDefinition, "question %d: id %q: want letters, digits, '_', '.' or '-', starting with a letter or digit", num, dq.id.v)
			ok = false
		case reserved[q.ID] != "":
			at(dq.id.line, dq.id.col, ErrDuplicate, "question %d: id %q is %s", num, q.ID, reserved[q.ID])
			ok = false
		}
		switch {
		case !dq.hasKind:
			at(dq.line, dq.col, ErrRequired, "question %d: missing field \"type\"", num)
		case q.Kind != ENPS && q.Kind != Likert && q.Kind != Choice && q.Kind != Text:
			at(dq.kind.line, dq.kind.col, ErrDefinition, "question %d: type %q: want enps, likert, choice or text", num, dq.kind.v)
		}
		switch {
		case !dq.hasText:
			at(dq.line, dq.col, ErrRequired, "question %d: missing field \"text\"", num)
		case q.Text == "":
			at(dq.text.line, dq.text.col, ErrDefinition, "question %d: text is empty", num)
		}
		if q.Kind == Choice {
			if !dq.hasOptions || len(dq.options) < 2 {
				line, col := dq.optsLine, dq.optsCol
				if !dq.hasOptions {
					line, col = dq.line, dq.col
				}
				at(line, col, ErrDefinition, "question %d: a choice question needs at least two options", num)
			}
			seen := map[string]bool{}
			for _, o := range dq.options {
				v := strings.TrimSpace(o.v)
				switch {
				case v == "":
					at(o.line, o.col, ErrDefinition, "question %d: empty option", num)
				case seen[v]:
					at(o.line, o.col, ErrDuplicate, "question %d: duplicate option %q", num, v)
				default:
					seen[v] = true
					q.Options = append(q.Options, v)
				}
			}
		} else if dq.hasOptions {
			at(dq.optsLine, dq.optsCol, ErrDefinition, "question %d: options are only for choice questions", num)
		}
		if ok {
			reserved[q.ID] = fmt.Sprintf("already the id of question %d", num)
			s.byID[q.ID] = len(s.questions)
		}
		s.questions = append(s.questions, q)
	}
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	return s, nil
}
