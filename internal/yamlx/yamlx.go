// Package yamlx walks a YAML node tree and reports every problem with its
// file:line:col position, collecting them all instead of stopping at the
// first. It is the one YAML reader of the module: rules files, rule tests,
// survey definitions and target files are all read through it.
package yamlx

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/duration"
)

// Walker collects the problems of one YAML source. It is not safe for
// concurrent use.
type Walker struct {
	File  string
	Errs  diag.List
	lines []string // raw source lines, for carets and block-scalar positions
	// Sentinel, when set, is the Err of every problem the walker reports
	// (a package's ErrDefinition, say), except YAML that does not parse,
	// which is always diag.ErrSyntax.
	Sentinel error
}

// New returns a Walker for the source src called file.
func New(file string, src []byte) *Walker {
	return &Walker{File: file, lines: strings.Split(string(src), "\n")}
}

// SourceLine returns raw line n (1-based) without its "\r", or "".
func (w *Walker) SourceLine(n int) string {
	if n >= 1 && n <= len(w.lines) {
		return strings.TrimRight(w.lines[n-1], "\r")
	}
	return ""
}

// Lines is the number of source lines.
func (w *Walker) Lines() int { return len(w.lines) }

// ErrAt records a problem at line and column (1-based; 0 when unknown).
func (w *Walker) ErrAt(line, col int, s diag.Subject, code diag.Code, format string, a ...any) *diag.Error {
	e := &diag.Error{File: w.File, Line: line, Column: col, Kind: s.Kind, ID: s.ID, Code: code,
		Msg: fmt.Sprintf(format, a...), Err: w.Sentinel}
	if code == diag.CodeSyntax {
		e.Err = diag.ErrSyntax
	}
	e.SetSource(w.SourceLine(line))
	w.Errs = append(w.Errs, e)
	return e
}

// Errorf records a problem at node n.
func (w *Walker) Errorf(n *yaml.Node, s diag.Subject, code diag.Code, format string, a ...any) *diag.Error {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	return w.ErrAt(line, col, s, code, format, a...)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse decodes src as exactly one YAML document and returns its root
// node, or nil after recording the problem (a syntax error with its line,
// an empty source, a second document). A panic inside the YAML parser is
// recorded as an internal error, not raised.
func (w *Walker) Parse(src []byte, what string) (root *yaml.Node) {
	defer func() {
		if r := recover(); r != nil {
			root = nil
			w.ErrAt(1, 0, diag.Subject{}, diag.CodeInternal, "YAML parser failed: %v", r).Err = diag.ErrInternal
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			w.ErrAt(1, 1, diag.Subject{}, diag.CodeMissing, "empty %s", what)
			return nil
		}
		w.syntax(err)
		return nil
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			w.syntax(err)
			return nil
		}
		w.ErrAt(next.Line, next.Column, diag.Subject{}, diag.CodeSyntax, "more than one YAML document")
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		w.ErrAt(1, 1, diag.Subject{}, diag.CodeMissing, "empty %s", what)
		return nil
	}
	return doc.Content[0]
}

func (w *Walker) syntax(err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		w.ErrAt(line, 0, diag.Subject{}, diag.CodeSyntax, "%s", m[2])
		return
	}
	w.ErrAt(0, 0, diag.Subject{}, diag.CodeSyntax, "%s", strings.TrimPrefix(msg, "yaml: "))
}

// Pair is one key/value of a mapping node.
type Pair struct {
	Key, Val *yaml.Node
}

// Mapping returns the pairs of a mapping node, reporting keys not in known
// (when known is non-empty) and duplicate keys.
//
// Messages about a key name the mapping ("rule: unknown key …") unless the
// subject already does (a subject of kind what: `test "x": unknown key …`).
func (w *Walker) Mapping(n *yaml.Node, what string, s diag.Subject, known ...string) []Pair {
	if n.Kind != yaml.MappingNode {
		w.Errorf(n, s, diag.CodeInvalid, "%s must be a mapping, got %s", what, Kind(n))
		return nil
	}
	pre := what + ": "
	if s.Kind == what {
		pre = ""
	}
	seen := make(map[string]bool, len(n.Content)/2)
	out := make([]Pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.Errorf(k, s, diag.CodeInvalid, "%skeys must be scalars", pre)
			continue
		}
		if seen[k.Value] {
			w.Errorf(k, s, diag.CodeDuplicate, "%sduplicate key %q", pre, k.Value)
			continue
		}
		seen[k.Value] = true
		if len(known) > 0 && !contains(known, k.Value) {
			w.Errorf(k, s, diag.CodeUnknownKey, "%sunknown key %q (known: %s)", pre, k.Value, strings.Join(known, ", "))
			continue
		}
		out = append(out, Pair{k, v})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Kind describes a node for messages: "a mapping", "a list", `scalar "x"`.
func Kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return "scalar " + strconv.Quote(v)
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

// Scalar returns the value of a scalar node.
func (w *Walker) Scalar(n *yaml.Node, what string, s diag.Subject) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		w.Errorf(n, s, diag.CodeInvalid, "%s must be a scalar, got %s", what, Kind(n))
		return "", false
	}
	return n.Value, true
}

// Sequence returns the items of a sequence node.
func (w *Walker) Sequence(n *yaml.Node, what string, s diag.Subject) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		w.Errorf(n, s, diag.CodeInvalid, "%s must be a list, got %s", what, Kind(n))
		return nil
	}
	return n.Content
}

// Number returns a finite number (|x| <= 1e300).
func (w *Walker) Number(n *yaml.Node, what string, s diag.Subject) (float64, bool) {
	v, ok := w.Scalar(n, what, s)
	if !ok {
		return 0, false
	}
	switch strings.ToLower(v) {
	case ".inf", "+.inf", "-.inf", ".nan":
		w.Errorf(n, s, diag.CodeNotFinite, "%s must be a finite number, got %q", what, v)
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || n.Tag == "!!str" {
		w.Errorf(n, s, diag.CodeInvalid, "%s must be a number, got %q", what, v)
		return 0, false
	}
	if f != f || f > 1e300 || f < -1e300 {
		w.Errorf(n, s, diag.CodeNotFinite, "%s must be finite, got %q", what, v)
		return 0, false
	}
	return f, true
}

// Int returns an integer that fits in int64.
func (w *Walker) Int(n *yaml.Node, what string, s diag.Subject) (int64, bool) {
	v, ok := w.Scalar(n, what, s)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n.Tag == "!!str" {
		w.Errorf(n, s, diag.CodeInvalid, "%s must be an integer, got %q", what, v)
		return 0, false
	}
	return i, true
}

// Bool returns true or false (also yes/no and their capitalised forms).
func (w *Walker) Bool(n *yaml.Node, what string, s diag.Subject) (bool, bool) {
	v, ok := w.Scalar(n, what, s)
	if !ok {
		return false, false
	}
	switch v {
	case "true", "True", "TRUE", "yes":
		return true, true
	case "false", "False", "FALSE", "no":
		return false, true
	}
	w.Errorf(n, s, diag.CodeInvalid, "%s must be true or false, got %q", what, v)
	return false, false
}

// Duration returns a positive duration in the module's grammar (w d h m s).
func (w *Walker) Duration(n *yaml.Node, what string, s diag.Subject) (time.Duration, bool) {
	v, ok := w.Scalar(n, what, s)
	if !ok {
		return 0, false
	}
	d, err := duration.Parse(v)
	if err != nil {
		w.Errorf(n, s, diag.CodeDuration, "%s: %v", what, err)
		return 0, false
	}
	return d, true
}

// ExprPos maps a position inside an expression scalar (line 1-based,
// column 0-based in runes, as expr reports it) to the file position
// (1-based line and column). Plain and quoted scalars start at the node;
// for literal (|) and folded (>) block scalars the raw lines are re-read.
func (w *Walker) ExprPos(n *yaml.Node, line, col int) (int, int) {
	if line < 1 {
		line = 1
	}
	switch n.Style {
	case yaml.LiteralStyle:
		fileLine := n.Line + line
		raw := w.SourceLine(fileLine)
		indent := utf8.RuneCountInString(raw) - utf8.RuneCountInString(strings.TrimLeft(raw, " "))
		return fileLine, indent + col + 1
	case yaml.FoldedStyle:
		// Folding joins the lines with spaces; walk the raw lines to find
		// which one the column falls on.
		offset := col
		for k := 1; n.Line+k <= len(w.lines); k++ {
			raw := w.SourceLine(n.Line + k)
			trimmed := strings.TrimSpace(raw)
			if trimmed == "" {
				continue
			}
			runes := utf8.RuneCountInString(trimmed)
			if offset <= runes {
				indent := utf8.RuneCountInString(raw) - utf8.RuneCountInString(strings.TrimLeft(raw, " \t"))
				return n.Line + k, indent + offset + 1
			}
			offset -= runes + 1
		}
		return n.Line, n.Column
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if line == 1 {
			return n.Line, n.Column + 1 + col
		}
		return n.Line + line - 1, col + 1
	}
	if line == 1 {
		return n.Line, n.Column + col
	}
	return n.Line + line - 1, col + 1
}
