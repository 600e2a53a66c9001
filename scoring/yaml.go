package scoring

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"

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
	// listFiles are the list files read, in order, for the hash.
	listFiles []listFile
}

type listFile struct {
	name string
	data []byte
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

// listFile reads the items of a list from a file beside the rules: one item
// per line, surrounding white space trimmed, blank lines and lines starting
// with # skipped. Bounded like the file's own lists (MaxListItems in all,
// MaxStringBytes per item, MaxSourceBytes per file); problems are reported
// at the file's line, or at the rules file's file: key when it cannot be
// read.
func (l *loader) listFile(at *yaml.Node, list, name string, total *int) []string {
	s := subj("list", list)
	if l.opts.fsys == nil {
		l.errorf(at, s, CodeInvalid, "file %s: lists from files need LoadFile or the WithFS option", name)
		return nil
	}
	if !fs.ValidPath(name) {
		l.errorf(at, s, CodeInvalid, "file %q: a path relative to the rules file's directory, without ..", name)
		return nil
	}
	f, err := l.opts.fsys.Open(name)
	if err != nil {
		l.errorf(at, s, CodeInvalid, "file %s: %v", name, err)
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(l.opts.SourceBytes)+1))
	if err != nil {
		l.errorf(at, s, CodeInvalid, "file %s: %v", name, err)
		return nil
	}
	if len(data) > l.opts.SourceBytes {
		l.errorf(at, s, CodeLimit, "file %s is larger than %d bytes (MaxSourceBytes)", name, l.opts.SourceBytes)
		return nil
	}
	l.listFiles = append(l.listFiles, listFile{name: name, data: data})
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var items []string
	for i, line := range strings.Split(string(data), "\n") {
		item := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if item == "" || strings.HasPrefix(item, "#") {
			continue
		}
		if len(item) > l.opts.StringBytes {
			l.w.Errs = append(l.w.Errs, &diag.Error{File: name, Line: i + 1, Kind: "list", ID: list, Code: CodeLimit, Err: ErrLimit,
				Msg: fmt.Sprintf("item of %d bytes, more than the limit of %d (MaxStringBytes)", len(item), l.opts.StringBytes)})
			continue
		}
		*total++
		if *total == l.opts.ListItems+1 {
			l.w.Errs = append(l.w.Errs, &diag.Error{File: name, Line: i + 1, Kind: "list", ID: list, Code: CodeLimit, Err: ErrLimit,
				Msg: fmt.Sprintf("more than %d list items (MaxListItems)", l.opts.ListItems)})
		}
		items = append(items, item)
	}
	return items
}
