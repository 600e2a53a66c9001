package calibrate

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/yamlx"
)

// Rules is the node tree of a rules file: where each scoring rule's points
// and each stage's condition are, so that WriteRules can change them in
// place. It is not a rules compiler (scoring.Load is); it reads only the
// scores and stages sections. A Rules is immutable.
type Rules struct {
	name   string
	src    []byte
	rules  []RuleDef
	models []modelDef
	stages []stageDef
}

// RuleDef is a scoring rule of the rules file.
type RuleDef struct {
	ID    string
	Model string
	// Points is the literal points (a YAML number), nil when the points
	// are an expression.
	Points       *float64
	Line, Column int // of the points value
	node         *yaml.Node
}

type modelDef struct {
	name     string
	min, max *float64
	sum      []string
}

type stageDef struct {
	id     string
	when   *yaml.Node
	keyCol int
}

// ParseRules reads the node tree of the rules file src called name. Errors
// are a diag.List of *diag.Error with positions (name:line:col), matching
// ErrSyntax when the YAML does not parse.
func ParseRules(name string, src []byte) (*Rules, error) {
	w := yamlx.New(name, src)
	w.Sentinel = diag.ErrSyntax
	root := w.Parse(src, "rules file")
	rf := &Rules{name: name, src: src}
	if root == nil {
		return nil, w.Errs.Err()
	}
	if root.Kind != yaml.MappingNode {
		w.Errorf(root, diag.Subject{}, diag.CodeInvalid, "rules file: want a mapping, got %s", yamlx.Kind(root))
		return nil, w.Errs.Err()
	}
	for _, p := range pairs(root) {
		switch p.Key.Value {
		case "scores":
			for _, mp := range pairs(p.Val) {
				md := modelDef{name: mp.Key.Value}
				for _, kv := range pairs(mp.Val) {
					switch kv.Key.Value {
					case "min", "max":
						if v, ok := number(kv.Val); ok {
							if kv.Key.Value == "min" {
								md.min = &v
							} else {
								md.max = &v
							}
						}
					case "sum":
						if kv.Val.Kind == yaml.SequenceNode {
							for _, s := range kv.Val.Content {
								md.sum = append(md.sum, s.Value)
							}
						}
					case "rules":
						if kv.Val.Kind != yaml.SequenceNode {
							continue
						}
						for _, rn := range kv.Val.Content {
							rd := RuleDef{Model: md.name}
							for _, f := range pairs(rn) {
								switch f.Key.Value {
								case "id":
									rd.ID = f.Val.Value
								case "points":
									rd.node, rd.Line, rd.Column = f.Val, f.Val.Line, f.Val.Column
									if v, ok := number(f.Val); ok {
										rd.Points = &v
									}
								}
							}
							if rd.ID != "" {
								rf.rules = append(rf.rules, rd)
							}
						}
					}
				}
				rf.models = append(rf.models, md)
			}
		case "stages":
			if p.Val.Kind != yaml.SequenceNode {
				continue
			}
			for _, sn := range p.Val.Content {
				var sd stageDef
				for _, f := range pairs(sn) {
					switch f.Key.Value {
					case "id":
						sd.id = f.Val.Value
					case "when":
						sd.when, sd.keyCol = f.Val, f.Key.Column
					}
				}
				rf.stages = append(rf.stages, sd)
			}
		}
	}
	return rf, w.Errs.Err()
}

// Rules returns the scoring rules in file order.
func (r *Rules) Rules() []RuleDef { return append([]RuleDef(nil), r.rules...) }

func pairs(n *yaml.Node) []yamlx.Pair {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]yamlx.Pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, yamlx.Pair{Key: n.Content[i], Val: n.Content[i+1]})
	}
	return out
}

// number reads a plain YAML number (tag !!int or !!float); a quoted
// scalar is an expression, not a literal.
func number(n *yaml.Node) (float64, bool) {
	if n.Kind != yaml.ScalarNode || n.Style != 0 || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil {
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if err != nil {
			return 0, false
		}
		v = float64(i)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// Edit is one change WriteRules made.
type Edit struct {
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Kind   string `json:"kind"` // "points" or "threshold"
	ID     string `json:"id"`   // the rule or stage
	Old    string `json:"old"`
	New    string `json:"new"`
}

// WriteOption configures WriteRules.
type WriteOption func(*writeConfig)

type writeConfig struct {
	points        bool
	distinguished bool
	threshold     bool
	model         string
}

// KeepPoints leaves every rule's points as they are (only the threshold is
// written).
func KeepPoints() WriteOption { return func(c *writeConfig) { c.points = false } }

// OnlyDistinguishable writes only the suggestions that are distinguishable
// from the current points (RuleEffect.Distinguishable).
func OnlyDistinguishable() WriteOption { return func(c *writeConfig) { c.distinguished = true } }

// WriteThreshold writes the best threshold of the score model into the
// condition of the report's stage (Report.Stages.Stage): the one
// comparison "scores.MODEL >= N" (or "> N") in it becomes
// "scores.MODEL >= T", T the ModelReport's SuggestedBest when points are
// written, else its Best. With model "", the model is the one the
// condition compares (there must be exactly one such comparison).
func WriteThreshold(model string) WriteOption {
	return func(c *writeConfig) { c.threshold, c.model = true, model }
}

// ErrWrite reports a change WriteRules cannot make in place.
var ErrWrite = errors.New("calibrate: cannot write rules")

// WriteRules returns the rules file with the report's suggested points of
// every rule whose points are a literal (rounded to whole points) and, with
// WriteThreshold, the best threshold, edited in place: every other byte —
// ids, comments, order, layout — is the original's. It also returns the
// edits made, in file order.
func WriteRules(r *Rules, rep *Report, opts ...WriteOption) ([]byte, []Edit, error) {
	cfg := writeConfig{points: true}
	for _, o := range opts {
		o(&cfg)
	}
	if r == nil || rep == nil {
		return nil, nil, fmt.Errorf("%w: nil rules or report", ErrWrite)
	}
	starts := []int{0}
	for i, b := range r.src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	offset := func(line, col int) (int, bool) {
		if line < 1 || line > len(starts) || col < 1 {
			return 0, false
		}
		off := starts[line-1]
		for c := 1; c < col; c++ { // columns count runes
			if off >= len(r.src) || r.src[off] == '\n' {
				return 0, false
			}
			_, size := utf8.DecodeRune(r.src[off:])
			off += size
		}
		return off, true
	}
	type splice struct {
		from, to int
		text     string
		edit     Edit
	}
	var splices []splice
	effects := map[string]*RuleEffect{}
	for i := range rep.Rules {
		effects[rep.Rules[i].Rule] = &rep.Rules[i]
	}
	if cfg.points && rep.Regression != nil {
		for _, rd := range r.rules {
			e := effects[rd.ID]
			if e == nil || rd.Points == nil || (cfg.distinguished && !e.Distinguishable) || e.Suggested == *rd.Points {
				continue
			}
			off, ok := offset(rd.Line, rd.Column)
			if !ok || !strings.HasPrefix(string(r.src[off:]), rd.node.Value) {
				return nil, nil, &diag.Error{File: r.name, Line: rd.Line, Column: rd.Column, Kind: "rule", ID: rd.ID, Err: ErrWrite,
					Msg: "points value is not where the YAML parser placed it"}
			}
			nv := strconv.FormatFloat(e.Suggested, 'f', -1, 64)
			splices = append(splices, splice{off, off + len(rd.node.Value), nv,
				Edit{Line: rd.Line, Column: rd.Column, Kind: "points", ID: rd.ID, Old: rd.node.Value, New: nv}})
		}
	}
	if cfg.threshold {
		s, err := r.threshold(rep, &cfg, offset, starts)
		if err != nil {
			return nil, nil, err
		}
		if s.edit.Old != s.edit.New {
			splices = append(splices, splice{s.from, s.to, s.text, s.edit})
		}
	}
	// Splice in file order.
	for i := 1; i < len(splices); i++ {
		for j := i; j > 0 && splices[j].from < splices[j-1].from; j-- {
			splices[j], splices[j-1] = splices[j-1], splices[j]
		}
	}
	var out []byte
	edits := []Edit{}
	last := 0
	for _, s := range splices {
		out = append(out, r.src[last:s.from]...)
		out = append(out, s.text...)
		last = s.to
		edits = append(edits, s.edit)
	}
	out = append(out, r.src[last:]...)
	return out, edits, nil
}

type thresholdSplice struct {
	from, to int
	text     string
	edit     Edit
}

func (r *Rules) threshold(rep *Report, cfg *writeConfig, offset func(int, int) (int, bool), starts []int) (thresholdSplice, error) {
	fail := func(line, col int, id, format string, a ...any) (thresholdSplice, error) {
		return thresholdSplice{}, &diag.Error{File: r.name, Line: line, Column: col, Kind: "stage", ID: id, Err: ErrWrite, Msg: fmt.Sprintf(format, a...)}
	}
	if rep.Stages == nil {
		return fail(0, 0, "", "the report has no stage (WithStage)")
	}
	var sd *stageDef
	for i := range r.stages {
		if r.stages[i].id == rep.Stages.Stage {
			sd = &r.stages[i]
		}
	}
	if sd == nil || sd.when == nil {
		return fail(0, 0, rep.Stages.Stage, "stage has no when condition in %s", r.name)
	}
	n := sd.when
	from, ok := offset(n.Line, n.Column)
	if !ok {
		return fail(n.Line, n.Column, sd.id, "condition is not where the YAML parser placed it")
	}
	// The condition's text: the rest of the line, and for a block
	// scalar the lines indented deeper than its key.
	end := len(r.src)
	if n.Line < len(starts) {
		end = starts[n.Line] - 1
	}
	if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
		for l := n.Line; l < len(starts); l++ {
			line := string(r.src[starts[l]:min(len(r.src), nextLine(starts, l, len(r.src)))])
			trim := strings.TrimLeft(line, " ")
			if strings.TrimSpace(line) != "" && len(line)-len(trim) < sd.keyCol {
				break
			}
			end = min(len(r.src), nextLine(starts, l, len(r.src)))
		}
	}
	name := regexp.QuoteMeta(cfg.model)
	if name == "" {
		name = `[A-Za-z_][A-Za-z0-9_]*`
	}
	re := regexp.MustCompile(`scores\.(` + name + `)\s*(>=|>)\s*(-?[0-9]+(?:\.[0-9]+)?)`)
	region := r.src[from:end]
	ms := re.FindAllSubmatchIndex(region, -1)
	if len(ms) != 1 {
		what := cfg.model
		if what == "" {
			what = "MODEL"
		}
		return fail(n.Line, n.Column, sd.id, "want exactly one comparison scores.%s >= N in the condition, found %d", what, len(ms))
	}
	model := string(region[ms[0][2]:ms[0][3]])
	var mr *ModelReport
	for i := range rep.Models {
		if rep.Models[i].Model == model {
			mr = &rep.Models[i]
		}
	}
	if mr == nil {
		return fail(0, 0, rep.Stages.Stage, "no score model %q in the report", model)
	}
	best := mr.Best
	if cfg.points && mr.SuggestedBest != nil {
		best = mr.SuggestedBest
	}
	if best == nil {
		return fail(0, 0, rep.Stages.Stage, "model %q has no best threshold", model)
	}

	old := string(region[ms[0][0]:ms[0][1]])
	nv := "scores." + model + " >= " + strconv.FormatFloat(best.Score, 'f', -1, 64)
	line, col := n.Line, n.Column
	if n.Style != yaml.LiteralStyle && n.Style != yaml.FoldedStyle {
		col += utf8.RuneCount(region[:ms[0][0]])
	}
	return thresholdSplice{from + ms[0][0], from + ms[0][1], nv,
		Edit{Line: line, Column: col, Kind: "threshold", ID: sd.id, Old: old, New: nv}}, nil
}

func nextLine(starts []int, l, n int) int {
	if l+1 < len(starts) {
		return starts[l+1]
	}
	return n
}
