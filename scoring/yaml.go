package scoring

import (
	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/yamlx"
)

// subject is what a load problem concerns: a rule, stage, grade, route.
type subject = diag.Subject

func subj(kind, id string) subject { return subject{Kind: kind, ID: id} }

// loader walks the YAML node tree of one rules file through the module's
// positioned YAML walker, collecting every problem instead of stopping at
// the first.
type loader struct {
	w    *yamlx.Walker
	opts options
}

func (l *loader) errs() Errors { return l.w.Errs }

func (l *loader) errAt(line, col int, s subject, code Code, format string, a ...any) {
	l.w.ErrAt(line, col, s, code, format, a...)
}

func (l *loader) errorf(n *yaml.Node, s subject, code Code, format string, a ...any) {
	l.w.Errorf(n, s, code, format, a...)
}

// pair is one key/value of a mapping node.
type pair struct {
	key, val *yaml.Node
}

func (l *loader) mapping(n *yaml.Node, what string, s subject, known ...string) []pair {
	ps := l.w.Mapping(n, what, s, known...)
	out := make([]pair, len(ps))
	for i, p := range ps {
		out[i] = pair{p.Key, p.Val}
	}
	return out
}

func nodeKind(n *yaml.Node) string { return yamlx.Kind(n) }

func (l *loader) scalar(n *yaml.Node, what string, s subject) (string, bool) {
	return l.w.Scalar(n, what, s)
}

func (l *loader) sequence(n *yaml.Node, what string, s subject) []*yaml.Node {
	return l.w.Sequence(n, what, s)
}

func (l *loader) number(n *yaml.Node, what string, s subject) (float64, bool) {
	return l.w.Number(n, what, s)
}

func (l *loader) boolean(n *yaml.Node, what string, s subject) (bool, bool) {
	return l.w.Bool(n, what, s)
}

func (l *loader) duration(n *yaml.Node, what string, s subject) (int64, bool) {
	d, ok := l.w.Duration(n, what, s)
	return int64(d), ok
}

func (l *loader) exprPos(n *yaml.Node, line, col int) (int, int) { return l.w.ExprPos(n, line, col) }

func (l *loader) sourceLine(line int) string { return l.w.SourceLine(line) }
