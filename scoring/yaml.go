package scoring

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// loader walks the YAML node tree of one rules file, collecting every
// problem with its position instead of stopping at the first.
type loader struct {
	file  string
	lines []string // raw source lines, for carets and block-scalar positions
	errs  Errors
	opts  options
}

func (l *loader) sourceLine(line int) string {
	if line >= 1 && line <= len(l.lines) {
		return strings.TrimRight(l.lines[line-1], "\r")
	}
	return ""
}

func (l *loader) errAt(line, col int, rule string, code Code, format string, a ...any) {
	l.errs = append(l.errs, &Error{
		File: l.file, Line: line, Column: col, Rule: rule, Code: code,
		Msg: fmt.Sprintf(format, a...), Source: l.sourceLine(line),
	})
}

func (l *loader) errorf(n *yaml.Node, rule string, code Code, format string, a ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	l.errAt(line, col, rule, code, format, a...)
}

// pair is one key/value of a mapping node.
type pair struct {
	key, val *yaml.Node
}

// mapping returns the pairs of a mapping node, reporting keys not in known
// (when known is non-nil) and duplicate keys.
func (l *loader) mapping(n *yaml.Node, what, rule string, known ...string) []pair {
	if n.Kind != yaml.MappingNode {
		l.errorf(n, rule, CodeInvalid, "%s must be a mapping, got %s", what, nodeKind(n))
		return nil
	}
	seen := make(map[string]bool, len(n.Content)/2)
	out := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errorf(k, rule, CodeInvalid, "%s: keys must be scalars", what)
			continue
		}
		if seen[k.Value] {
			l.errorf(k, rule, CodeDuplicate, "%s: duplicate key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if known != nil && !contains(known, k.Value) {
			l.errorf(k, rule, CodeUnknownKey, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		out = append(out, pair{k, v})
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

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "scalar " + strconv.Quote(n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

func (l *loader) scalar(n *yaml.Node, what, rule string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errorf(n, rule, CodeInvalid, "%s must be a scalar, got %s", what, nodeKind(n))
		return "", false
	}
	return n.Value, true
}

func (l *loader) sequence(n *yaml.Node, what, rule string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		l.errorf(n, rule, CodeInvalid, "%s must be a list, got %s", what, nodeKind(n))
		return nil
	}
	return n.Content
}

func (l *loader) number(n *yaml.Node, what, rule string) (float64, bool) {
	s, ok := l.scalar(n, what, rule)
	if !ok {
		return 0, false
	}
	switch strings.ToLower(s) {
	case ".inf", "+.inf", "-.inf", ".nan":
		l.errorf(n, rule, CodeNotFinite, "%s must be a finite number, got %q", what, s)
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || n.Tag == "!!str" {
		l.errorf(n, rule, CodeInvalid, "%s must be a number, got %q", what, s)
		return 0, false
	}
	if f != f || f > 1e300 || f < -1e300 {
		l.errorf(n, rule, CodeNotFinite, "%s must be finite, got %q", what, s)
		return 0, false
	}
	return f, true
}

func (l *loader) boolean(n *yaml.Node, what, rule string) (bool, bool) {
	s, ok := l.scalar(n, what, rule)
	if !ok {
		return false, false
	}
	switch s {
	case "true", "True", "TRUE", "yes":
		return true, true
	case "false", "False", "FALSE", "no":
		return false, true
	}
	l.errorf(n, rule, CodeInvalid, "%s must be true or false, got %q", what, s)
	return false, false
}

func (l *loader) duration(n *yaml.Node, what, rule string) (int64, bool) {
	s, ok := l.scalar(n, what, rule)
	if !ok {
		return 0, false
	}
	d, err := ParseDuration(s)
	if err != nil {
		l.errorf(n, rule, CodeDuration, "%s: %v", what, err)
		return 0, false
	}
	return int64(d), true
}

// exprPos maps a position inside an expression scalar (line 1-based,
// column 0-based in runes, as expr reports it) to the file position
// (1-based line and column). Plain and quoted scalars start at the node;
// for literal (|) and folded (>) block scalars the raw lines are re-read.
func (l *loader) exprPos(n *yaml.Node, line, col int) (int, int) {
	if line < 1 {
		line = 1
	}
	switch n.Style {
	case yaml.LiteralStyle:
		return l.blockPos(n, line, col)
	case yaml.FoldedStyle:
		// Folding joins the lines with spaces; walk the raw lines to find
		// which one the column falls on.
		offset := col
		for k := 1; ; k++ {
			raw := l.sourceLine(n.Line + k)
			if n.Line+k > len(l.lines) {
				return n.Line, n.Column
			}
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

func (l *loader) blockPos(n *yaml.Node, line, col int) (int, int) {
	// Content line k (1-based) of a literal block is raw line n.Line+k,
	// skipping nothing: yaml keeps interior blank lines.
	fileLine := n.Line + line
	raw := l.sourceLine(fileLine)
	indent := utf8.RuneCountInString(raw) - utf8.RuneCountInString(strings.TrimLeft(raw, " "))
	return fileLine, indent + col + 1
}
