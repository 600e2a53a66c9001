package scoring

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/revengine/revengine/internal/duration"
	"gopkg.in/yaml.v3"
)

// compiler turns the sections of a rules file into rules, compiling every
// expression against the schema.
type compiler struct {
	l  *loader
	rs *RuleSet
	// ids of every rule, grade, stage, segment and route, for duplicates.
	ids map[string]*yaml.Node
	// refIdx indexes rs.refs, so that recording what each expression
	// reads stays linear in the file.
	refIdx    map[ref]int32
	usesFired bool        // some expression calls fired()
	firedRefs []*firedRef // fired() calls on the fast path, resolved by orderModels
	// lits are the string literals compared with a stage, grade, segment
	// or rule id, checked against the declared ones once all are known.
	lits []litUse
}

// litUse is a string literal an expression compares with a declared id.
type litUse struct {
	kind, value string // "stage", "grade", "segment", "rule"
	line, col   int
	what        subject
}

// literals finds the string literals that must name declared values:
// stage == "sql", grade != "A", stage in ["mql", "sal"], "x" in segments,
// fired("rule-id").
func (c *compiler) literals(root ast.Node, use func(kind, value string, node ast.Node)) {
	idKind := func(n ast.Node) string {
		if id, ok := n.(*ast.IdentifierNode); ok && (id.Value == "stage" || id.Value == "grade") {
			return id.Value
		}
		return ""
	}
	visit(root, func(node ast.Node) {
		switch x := node.(type) {
		case *ast.BinaryNode:
			switch x.Operator {
			case "==", "!=":
				if k := idKind(x.Left); k != "" {
					if str, ok := x.Right.(*ast.StringNode); ok {
						use(k, str.Value, str)
					}
				}
				if k := idKind(x.Right); k != "" {
					if str, ok := x.Left.(*ast.StringNode); ok {
						use(k, str.Value, str)
					}
				}
			case "in", "not in":
				if id, ok := x.Right.(*ast.IdentifierNode); ok && id.Value == "segments" {
					if str, ok := x.Left.(*ast.StringNode); ok {
						use("segment", str.Value, str)
					}
				}
				if k := idKind(x.Left); k != "" {
					if arr, ok := x.Right.(*ast.ArrayNode); ok {
						for _, it := range arr.Nodes {
							if str, ok := it.(*ast.StringNode); ok {
								use(k, str.Value, str)
							}
						}
					}
				}
			}
		case *ast.CallNode:
			if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "fired" && len(x.Arguments) == 1 {
				if str, ok := x.Arguments[0].(*ast.StringNode); ok {
					use("rule", str.Value, str)
				}
			}
		}
	})
}

// checkLiterals reports every literal that names no declared stage, grade,
// segment or rule — a rule that could never fire — with "did you mean".
func (c *compiler) checkLiterals() {
	rs := c.rs
	sets := map[string]map[string]int{"stage": {DisqualifiedStage: -1}, "grade": {}, "segment": {}, "rule": {}}
	for id, i := range rs.stageIdx {
		sets["stage"][id] = i
	}
	for i, g := range rs.grades {
		sets["grade"][g.grade] = i
	}
	for i, sg := range rs.segments {
		sets["segment"][sg.id] = i
	}
	for mi := range rs.models {
		for ri, r := range rs.models[mi].rules {
			sets["rule"][r.id] = ri
		}
	}
	for _, u := range c.lits {
		set := sets[u.kind]
		if _, ok := set[u.value]; ok {
			continue
		}
		msg := fmt.Sprintf("unknown %s %q: the %s never matches", u.kind, clip(u.value, 64), map[string]string{
			"stage": "comparison", "grade": "comparison", "segment": "test", "rule": "fired() test"}[u.kind])
		if sug := suggest(u.value, set); sug != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", sug)
		} else if len(set) > 0 {
			msg += fmt.Sprintf(" (declared: %s)", clip(strings.Join(sortedKeys(set), ", "), 200))
		}
		code := CodeUnknownName
		if u.kind == "stage" {
			code = CodeUnknownStage
		}
		c.l.errAt(u.line, u.col, u.what, code, "%s", msg)
	}
}

// section says which names an expression may use.
type section uint8

const (
	secAttr    section = iota // score rules without `on`: fields, lists, at
	secEvent                  // per-event score rules: + event
	secGrade                  // grades: + scores
	secStage                  // stages, disqualify, recycle: + scores, grade, stage, segments
	secSegment                // segments: + scores, grade, stage
	secRoute                  // routes: + scores, grade, stage, segments
)

func (s section) allows(name string) bool {
	switch name {
	case "event":
		return s == secEvent
	case "scores":
		return true // score rules read other models; the order is computed at load
	case "grade", "stage":
		return s >= secStage
	case "segments":
		return s == secStage || s == secRoute
	}
	return true
}

func (s section) String() string {
	return [...]string{"score rules", "event rules", "grades", "stages", "segments", "routes"}[s]
}

// expression is one compiled expression with its position in the file.
type expression struct {
	src       string
	line, col int
	// id indexes RuleSet.exprs; owner is what errors name the expression
	// by (rule r01, grade A, stage mql), set once the rule set is
	// compiled (RuleSet.setOwners).
	id    int32
	owner string
	prog  *vm.Program // expr's program: the reference and the fallback
	fast  cfn         // native closure; fast.k == KindInvalid when not compiled
	reads []int32     // what it reads, in order of first use: indices into RuleSet.refs
	rd    []traceRead // reads, resolved (RuleSet.markPlain)
	cost  float64     // static bound of one evaluation, in steps (cost.go)
	// usesEvents: the expression reads `events`, which the VM's
	// environment then needs filled.
	usesEvents bool
	// deps are the scores and fired() rules it reads, for the order in
	// which models are evaluated.
	deps []dep
}

// dep is one thing an expression needs computed first: a model's score
// (model ≥ 0) or whether a rule fired (rule, resolved to its model).
type dep struct {
	model int
	rule  string
	what  string // as written: scores.fit, fired("demo")
}

// removedBuiltins are expr's builtins that rules may not call, with why:
// they grow memory faster than any bound checked before they allocate, read
// the clock or the time-zone database, or have no use in a rule. Every other
// builtin of expr is available, bounded by the cost estimator.
var removedBuiltins = map[string]string{
	"now":        "rules are deterministic; use at, the evaluation time",
	"repeat":     "it can grow a string beyond any bound",
	"reduce":     "its accumulator can grow beyond any bound",
	"groupBy":    "it builds maps beyond any bound; use filter or count",
	"toJSON":     "rules do not encode data",
	"fromJSON":   "rules do not decode data; declare the field",
	"toBase64":   "rules do not encode data",
	"fromBase64": "rules do not decode data",
	"toPairs":    "rules do not build maps",
	"fromPairs":  "rules do not build maps",
	"timezone":   "times are UTC",
}

var removedBuiltinNames = sortedKeys(removedBuiltins)

func (c *compiler) claimID(n *yaml.Node, kind, id string) bool {
	if c.ids == nil {
		c.ids = map[string]*yaml.Node{}
	}
	if id == "" {
		c.l.errorf(n, subject{}, CodeMissing, "%s: missing id", kind)
		return false
	}
	if !idRe.MatchString(id) {
		c.l.errorf(n, subject{}, CodeInvalid, "%s id %q: use letters, digits and _ . : / -", kind, id)
		return false
	}
	key := kind + "\x00" + id
	if kind == "rule" || kind == "disqualify" || kind == "recycle" {
		key = "rule\x00" + id // one id space for everything that can set a score or a stage
	}
	if prev, dup := c.ids[key]; dup {
		c.l.errorf(n, subj(kind, id), CodeDuplicate, "duplicate id (first at line %d)", prev.Line)
		return false
	}
	c.ids[key] = n
	return true
}

// compile compiles the expression held by scalar node n. want is KindBool
// for conditions, KindFloat for numeric expressions.
func (c *compiler) compile(n *yaml.Node, what subject, want Kind, sec section) *expression {
	src, ok := c.l.scalar(n, "expression", what)
	if !ok {
		return nil
	}
	e := &expression{src: src, line: n.Line, col: n.Column, id: int32(len(c.rs.exprs))}
	c.rs.exprs = append(c.rs.exprs, e)
	if strings.TrimSpace(src) == "" {
		c.l.errorf(n, what, CodeMissing, "empty expression")
		return nil
	}
	fail := func(line, col int, code Code, msg string) {
		fl, fc := c.l.exprPos(n, line, col)
		c.l.errAt(fl, fc, what, code, "%s", msg)
	}
	pos := &posIndex{src: src}
	if off, msg, ok := prescan(src, c.l.opts.Limits); !ok {
		line, col := pos.byteAt(off)
		fail(line, col, CodeLimit, msg)
		return nil
	}
	tree, err := parser.Parse(src)
	if err != nil {
		line, col, msg := exprErrPos(err)
		fail(line, col, CodeExpr, msg)
		return nil
	}
	c.literals(tree.Node, func(kind, value string, node ast.Node) {
		line, col := pos.at(node.Location().From)
		fl, fc := c.l.exprPos(n, line, col)
		c.lits = append(c.lits, litUse{kind: kind, value: value, line: fl, col: fc, what: what})
	})
	if !c.checkNames(tree.Node, pos, what, sec, fail) {
		return nil
	}
	opts := []expr.Option{
		expr.Env(c.rs.env.sample),
		expr.MaxNodes(uint(c.l.opts.Nodes)),
		expr.Timezone("UTC"),
		durationFunc,
	}
	for _, name := range removedBuiltinNames {
		opts = append(opts, expr.DisableBuiltin(name))
	}
	if want == KindBool {
		opts = append(opts, expr.AsBool())
	} else {
		opts = append(opts, expr.AsFloat64())
	}
	checked, err := expr.Compile(src, append(opts, expr.Optimize(false))...)
	if err != nil {
		line, col, msg := exprErrPos(err)
		code := CodeExpr
		switch {
		case strings.Contains(msg, "unknown name"), strings.Contains(msg, "has no field"):
			code = CodeUnknownName
		case strings.Contains(msg, "expected bool"), strings.Contains(msg, "expected float64"),
			strings.Contains(msg, "mismatched types"), strings.Contains(msg, "invalid operation"):
			code = CodeType
		case strings.Contains(msg, "exceeds maximum allowed nodes"), strings.Contains(msg, "max nodes"):
			code = CodeLimit
		}
		if name, found := strings.CutPrefix(msg, "unknown name "); found && name == "now" {
			msg = "now() is not available: rules are deterministic; use at, the evaluation time"
		} else if found {
			msg = "unknown field " + name
			if s := suggest(name, c.rs.fieldIdx); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
		}
		if strings.HasPrefix(msg, "expected bool") {
			msg = "condition must be a bool, got " + strings.TrimPrefix(msg, "expected bool, but got ")
		} else if strings.HasPrefix(msg, "expected float64") {
			msg = "points must be a number, got " + strings.TrimPrefix(msg, "expected float64, but got ")
		}
		fail(line, col, code, msg)
		return nil
	}
	// The optimised program (constant folding, literal sets) is what the
	// fallback runs.
	prog, err := expr.Compile(src, append(opts, checkedFuncs...)...)
	if err != nil {
		line, col, msg := exprErrPos(err)
		fail(line, col, CodeExpr, msg)
		return nil
	}
	e.prog = prog
	c.collectSpans(checked.Node())
	visit(checked.Node(), func(n ast.Node) {
		switch x := n.(type) {
		case *ast.IdentifierNode:
			if x.Value == "events" {
				e.usesEvents = true
			}
		case *ast.MemberNode:
			if base, ok := x.Node.(*ast.IdentifierNode); ok && base.Value == "scores" {
				if prop, ok := x.Property.(*ast.StringNode); ok {
					if mi, ok := c.rs.modelIdx[prop.Value]; ok {
						e.deps = append(e.deps, dep{model: mi, what: "scores." + prop.Value})
					}
				}
			}
		case *ast.CallNode:
			if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "fired" && len(x.Arguments) == 1 {
				if str, ok := x.Arguments[0].(*ast.StringNode); ok {
					e.deps = append(e.deps, dep{model: -1, rule: str.Value, what: fmt.Sprintf("fired(%q)", str.Value)})
					c.usesFired = true
				}
			}
		}
	})
	cost, ok := c.estimateExpr(checked.Node(), pos, fail)
	if !ok {
		return nil
	}
	e.cost = cost
	for _, r := range c.reads(checked.Node()) {
		e.reads = append(e.reads, c.refID(r))
	}
	if !c.l.opts.noFastPath {
		fb := &fastBuilder{rs: c.rs}
		f, ok := fb.build(checked.Node())
		c.firedRefs = append(c.firedRefs, fb.fired...)
		if ok {
			if want == KindFloat && f.k == KindInt {
				fi := f.i
				f = cfn{k: KindFloat, f: func(s *evalState) float64 { return float64(fi(s)) }}
			}
			if f.k == want {
				e.fast = f
			}
		}
	}
	return e
}

// durationFunc replaces expr's duration builtin (Go's time.ParseDuration)
// with the module's one duration grammar, so that duration("30d") in an
// expression means what half_life: 30d means in the same file. A literal
// argument is checked at load (checkNames); the fast path folds it.
var durationFunc = expr.Function("duration", func(args ...any) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("duration: want a string, got %T", args[0])
	}
	return duration.Parse(s)
}, new(func(string) time.Duration))

// exprErrPos extracts expr's 1-based line and 0-based column.
func exprErrPos(err error) (line, col int, msg string) {
	var fe *file.Error
	if errors.As(err, &fe) {
		line, col = fe.Line, fe.Column
		if line == 0 {
			line = 1
		}
		return line, col, fe.Message
	}
	return 1, 0, err.Error()
}

// checkNames reports names the section may not use and unknown list, score
// and event-property names, with messages in the rules file's own terms
// before expr's checker speaks of struct fields.
func (c *compiler) checkNames(root ast.Node, pos *posIndex, what subject, sec section, fail func(line, col int, code Code, msg string)) bool {
	ok := true
	at := func(node ast.Node) (int, int) { return pos.at(node.Location().From) }
	visit(root, func(node ast.Node) {
		switch x := node.(type) {
		case *ast.BuiltinNode:
			if why, removed := removedBuiltins[x.Name]; removed {
				line, col := at(x)
				fail(line, col, CodeUnknownName, fmt.Sprintf("%s() is not available in rules: %s", x.Name, why))
				ok = false
				return
			}
			if x.Name == "date" && len(x.Arguments) > 2 {
				line, col := at(x)
				fail(line, col, CodeUnknownName, "date() takes a value and at most a layout in rules; times are UTC (the timezone argument is not available)")
				ok = false
				return
			}
			if x.Name == "duration" && len(x.Arguments) == 1 {
				if str, isStr := x.Arguments[0].(*ast.StringNode); isStr {
					if _, err := duration.Parse(str.Value); err != nil {
						line, col := at(str)
						fail(line, col, CodeDuration, err.Error())
						ok = false
					}
				}
			}
		case *ast.IdentifierNode:
			if !sec.allows(x.Value) {
				line, col := at(x)
				msg := fmt.Sprintf("%s is not available in %s", x.Value, sec)
				if x.Value == "event" {
					msg += " (add on: EVENT_TYPE to score per event)"
				}
				fail(line, col, CodeUnknownName, msg)
				ok = false
			}
		case *ast.MemberNode:
			base, isIdent := x.Node.(*ast.IdentifierNode)
			prop, isStr := x.Property.(*ast.StringNode)
			if !isIdent || !isStr {
				return
			}
			line, col := at(x.Property)
			if !sec.allows(base.Value) {
				return
			}
			switch base.Value {
			case "lists":
				if _, found := c.rs.listIdx[prop.Value]; !found {
					fail(line, col, CodeUnknownName, fmt.Sprintf("unknown list %s (declared: %s)", prop.Value, strings.Join(sortedKeys(c.rs.listIdx), ", ")))
					ok = false
				}
			case "scores":
				if _, found := c.rs.modelIdx[prop.Value]; !found {
					fail(line, col, CodeUnknownName, fmt.Sprintf("unknown score %s (declared: %s)", prop.Value, strings.Join(sortedKeys(c.rs.modelIdx), ", ")))
					ok = false
				}
			case "event":
				if _, found := c.rs.propIdx[prop.Value]; !found && prop.Value != "type" && prop.Value != "time" {
					fail(line, col, CodeUnknownName, fmt.Sprintf("unknown event field %s (type, time or one of event_fields)", prop.Value))
					ok = false
				}
			}
		}
	})
	return ok
}

// visit calls f on every node of the tree, parents first.
func visit(n ast.Node, f func(ast.Node)) {
	ast.Walk(&n, visitor(f))
}

type visitor func(ast.Node)

func (v visitor) Visit(n *ast.Node) { v(*n) }

// refID returns the index of r in the rule set's table of refs, adding it
// once: the same value read by two expressions has one id.
func (c *compiler) refID(r ref) int32 {
	if c.refIdx == nil {
		c.refIdx = map[ref]int32{}
	}
	if id, ok := c.refIdx[r]; ok {
		return id
	}
	c.rs.refs = append(c.rs.refs, r)
	id := int32(len(c.rs.refs) - 1)
	c.refIdx[r] = id
	return id
}

// ref is one value an expression reads, recorded in the trace.
type ref struct {
	kind refKind
	idx  int    // field slot or model index
	name string // as shown in the trace: "company_size", "scores.fit", "grade"
}

type refKind uint8

const (
	refField refKind = iota
	refScore
	refGrade
	refStage
)

// reads returns what an expression reads — lead fields, scores, the grade
// and the current stage — in order of first use in the source, for the trace.
func (c *compiler) reads(root ast.Node) []ref {
	type use struct {
		r    ref
		from int
	}
	var uses []use
	add := func(r ref, from int) {
		for i := range uses {
			if uses[i].r.name == r.name {
				if from < uses[i].from {
					uses[i].from = from
				}
				return
			}
		}
		uses = append(uses, use{r, from})
	}
	visit(root, func(node ast.Node) {
		switch x := node.(type) {
		case *ast.IdentifierNode:
			if slot, found := c.rs.fieldIdx[x.Value]; found {
				add(ref{kind: refField, idx: slot, name: x.Value}, x.Location().From)
			} else if x.Value == "grade" {
				add(ref{kind: refGrade, name: "grade"}, x.Location().From)
			} else if x.Value == "stage" {
				add(ref{kind: refStage, name: "stage"}, x.Location().From)
			}
		case *ast.MemberNode:
			base, isIdent := x.Node.(*ast.IdentifierNode)
			prop, isStr := x.Property.(*ast.StringNode)
			if isIdent && isStr && base.Value == "scores" {
				if mi, found := c.rs.modelIdx[prop.Value]; found {
					add(ref{kind: refScore, idx: mi, name: "scores." + prop.Value}, x.Location().From)
				}
			}
		}
	})
	for i := 1; i < len(uses); i++ {
		for j := i; j > 0 && uses[j].from < uses[j-1].from; j-- {
			uses[j], uses[j-1] = uses[j-1], uses[j]
		}
	}
	out := make([]ref, len(uses))
	for i, u := range uses {
		out[i] = u.r
	}
	return out
}

var modelKeys = []string{"description", "min", "max", "rules", "sum"}
var ruleKeys = []string{"id", "description", "when", "points", "cap", "on", "half_life", "within"}

func (c *compiler) models(n *yaml.Node, cnt *counter) {
	l := c.l
	for _, p := range l.mapping(n, "scores", subject{}) {
		name := p.key.Value
		if !identRe.MatchString(name) {
			l.errorf(p.key, subject{}, CodeInvalid, "score name %q is not an identifier", name)
			continue
		}
		m := model{name: name}
		for _, q := range l.mapping(p.val, "score "+name, subj("score", name), modelKeys...) {
			switch q.key.Value {
			case "description":
				m.desc, _ = l.scalar(q.val, "description", subject{})
			case "min":
				m.min, m.hasMin = l.number(q.val, "min", subj("score", name))
			case "max":
				m.max, m.hasMax = l.number(q.val, "max", subj("score", name))
			case "rules":
				for _, rn := range l.sequence(q.val, "rules", subj("score", name)) {
					cnt.add(rn)
					if r, ok := c.rule(rn); ok {
						m.rules = append(m.rules, r)
					}
				}
			case "sum":
				// A combined score: the sum of other models' values (after
				// their own min/max), clamped to this model's min/max —
				// HubSpot's combined fit + engagement with a total limit.
				for _, sn := range l.sequence(q.val, "sum", subj("score", name)) {
					other, ok := l.scalar(sn, "score name", subj("score", name))
					if !ok {
						continue
					}
					idx, found := c.rs.modelIdx[other]
					if !found {
						msg := fmt.Sprintf("unknown score %s in sum", other)
						if sug := suggest(other, c.rs.modelIdx); sug != "" {
							msg += fmt.Sprintf(" (did you mean %s?)", sug)
						}
						l.errorf(sn, subj("score", name), CodeUnknownName, "%s", msg)
						continue
					}
					m.sum = append(m.sum, modelRef{idx: idx, line: sn.Line, col: sn.Column})
				}
				m.hasSum = true
			}
		}
		if m.hasSum && len(m.rules) > 0 {
			l.errorf(p.key, subj("score", name), CodeInvalid, "a score has rules or a sum of other scores, not both")
		}
		if m.hasMin && m.hasMax && m.min > m.max {
			l.errorf(p.key, subj("score", name), CodeInvalid, "min %v is above max %v", m.min, m.max)
		}
		c.rs.models = append(c.rs.models, m)
	}
}

func (c *compiler) rule(n *yaml.Node) (rule, bool) {
	l := c.l
	r := rule{line: n.Line, col: n.Column}
	pairs := l.mapping(n, "rule", subject{}, ruleKeys...)
	get := map[string]*yaml.Node{}
	for _, p := range pairs {
		get[p.key.Value] = p.val
	}
	if idn, ok := get["id"]; ok {
		r.id, _ = l.scalar(idn, "id", subject{})
		if !c.claimID(idn, "rule", r.id) {
			return r, false
		}
	} else {
		if n.Kind == yaml.MappingNode {
			l.errorf(n, subject{}, CodeMissing, "rule: missing id")
		}
		return r, false
	}
	name := subj("rule", r.id)
	before := len(l.errs())
	if d, ok := get["description"]; ok {
		r.desc, _ = l.scalar(d, "description", name)
	}
	sec := secAttr
	if on, ok := get["on"]; ok {
		r.on, _ = l.scalar(on, "on", name)
		r.event = true
		sec = secEvent
		if c.rs.eventTypes != nil && !c.rs.eventTypes[r.on] {
			l.errorf(on, name, CodeUnknownName, "unknown event type %q (declared: %s)", r.on, strings.Join(sortedKeys(c.rs.eventTypes), ", "))
		}
	}
	for _, key := range []string{"half_life", "within"} {
		if dn, ok := get[key]; ok {
			if !r.event {
				l.errorf(dn, name, CodeInvalid, "%s applies to event rules only (add on: EVENT_TYPE)", key)
				continue
			}
			if d, ok := l.duration(dn, key, name); ok {
				if key == "within" {
					c.addSpan(time.Duration(d))
				}
				if key == "half_life" {
					r.halfLife = time.Duration(d)
				} else {
					r.within = time.Duration(d)
				}
			}
		}
	}
	if w, ok := get["when"]; ok {
		r.when = c.compile(w, name, KindBool, sec)
	}
	if pn, ok := get["points"]; ok {
		if pn.Kind == yaml.ScalarNode && (pn.Tag == "!!int" || pn.Tag == "!!float") {
			r.points, _ = l.number(pn, "points", name)
		} else {
			r.pointsExpr = c.compile(pn, name, KindFloat, sec)
		}
	} else {
		l.errorf(n, name, CodeMissing, "missing points")
	}
	if cn, ok := get["cap"]; ok {
		if v, ok := l.number(cn, "cap", name); ok {
			if v <= 0 {
				l.errorf(cn, name, CodeInvalid, "cap must be positive, got %v", v)
			}
			r.cap = v
		}
	}
	return r, len(l.errs()) == before
}

func (c *compiler) grades(n *yaml.Node, cnt *counter) {
	l := c.l
	seen := map[string]bool{}
	for i, gn := range l.sequence(n, "grades", subject{}) {
		cnt.add(gn)
		g := grade{}
		var gradeNode *yaml.Node
		for _, p := range l.mapping(gn, "grade", subject{}, "grade", "when", "description") {
			switch p.key.Value {
			case "grade":
				gradeNode = p.val
				g.grade, _ = l.scalar(p.val, "grade", subject{})
			case "when":
				g.when = c.compile(p.val, subj("grade", g.grade), KindBool, secGrade)
			case "description":
				l.scalar(p.val, "description", subject{})
			}
		}
		if gradeNode == nil {
			if gn.Kind == yaml.MappingNode {
				l.errorf(gn, subject{}, CodeMissing, "grade: missing grade")
			}
			continue
		}
		g.label = "grade " + g.grade
		g.val = strVal(g.grade)
		if seen[g.grade] {
			l.errorf(gradeNode, subj("grade", g.grade), CodeDuplicate, "duplicate grade")
		}
		seen[g.grade] = true
		if g.when == nil && i != len(n.Content)-1 {
			l.errorf(gn, subj("grade", g.grade), CodeInvalid, "only the last grade may omit when (grades are first match wins)")
		}
		c.rs.grades = append(c.rs.grades, g)
	}
}

func (c *compiler) stages(n *yaml.Node, cnt *counter) {
	l := c.l
	for i, sn := range l.sequence(n, "stages", subject{}) {
		cnt.add(sn)
		st := stage{}
		var idNode, whenNode *yaml.Node
		var leftAtNode *yaml.Node
		for _, p := range l.mapping(sn, "stage", subject{}, "id", "description", "when", "sla", "left_at") {
			switch p.key.Value {
			case "id":
				idNode = p.val
				st.id, _ = l.scalar(p.val, "id", subject{})
			case "description":
				st.desc, _ = l.scalar(p.val, "description", subject{})
			case "when":
				whenNode = p.val
			case "sla":
				if d, ok := l.duration(p.val, "sla", subject{}); ok {
					st.sla = time.Duration(d)
					st.slaText = p.val.Value
				}
			case "left_at":
				leftAtNode = p.val
			}
		}
		if idNode == nil {
			if sn.Kind == yaml.MappingNode {
				l.errorf(sn, subject{}, CodeMissing, "stage: missing id")
			}
			continue
		}
		if st.id == DisqualifiedStage {
			l.errorf(idNode, subject{}, CodeInvalid, "stage id %q is reserved for disqualify rules", st.id)
			continue
		}
		if !c.claimID(idNode, "stage", st.id) {
			continue
		}
		name := subj("stage", st.id)
		st.label = "stage " + st.id
		st.val = strVal(st.id)
		if whenNode != nil {
			if i == 0 {
				l.errorf(whenNode, name, CodeInvalid, "the first stage is where every lead starts; it takes no when")
			} else {
				st.when = c.compile(whenNode, name, KindBool, secStage)
			}
		} else if i > 0 {
			l.errorf(sn, name, CodeMissing, "missing when (the condition to enter the stage)")
		}
		st.leftAt = -1
		if leftAtNode != nil {
			// The lead field holding when the lead really left this stage
			// (sales accepted it): the handoff time its SLA is judged by.
			if f, ok := l.scalar(leftAtNode, "left_at", name); ok {
				if slot, found := c.rs.fieldIdx[f]; !found {
					msg := fmt.Sprintf("left_at: unknown field %s", f)
					if sug := suggest(f, c.rs.fieldIdx); sug != "" {
						msg += fmt.Sprintf(" (did you mean %s?)", sug)
					}
					l.errorf(leftAtNode, name, CodeUnknownName, "%s", msg)
				} else if c.rs.fields[slot].kind != KindTime {
					l.errorf(leftAtNode, name, CodeType, "left_at: field %s is a %s, not a time", f, c.rs.fields[slot].kind)
				} else {
					st.leftAt = slot
				}
			}
		}
		c.rs.stageIdx[st.id] = len(c.rs.stages)
		c.rs.stages = append(c.rs.stages, st)
	}
}

// stageRules compiles a list of id-and-condition rules: disqualify, recycle
// (with a target stage) and segments.
func (c *compiler) stageRules(n *yaml.Node, kind string, recycle bool, sec section, cnt *counter) []stageRule {
	l := c.l
	keys := []string{"id", "description", "when"}
	if recycle {
		keys = append(keys, "to")
	}
	var out []stageRule
	for _, rn := range l.sequence(n, kind, subject{}) {
		cnt.add(rn)
		r := stageRule{to: -1}
		var idNode, whenNode, toNode *yaml.Node
		for _, p := range l.mapping(rn, kind+" rule", subject{}, keys...) {
			switch p.key.Value {
			case "id":
				idNode = p.val
				r.id, _ = l.scalar(p.val, "id", subject{})
			case "when":
				whenNode = p.val
			case "to":
				toNode = p.val
			case "description":
				l.scalar(p.val, "description", subject{})
			}
		}
		if idNode == nil {
			if rn.Kind == yaml.MappingNode {
				l.errorf(rn, subject{}, CodeMissing, "%s rule: missing id", kind)
			}
			continue
		}
		if !c.claimID(idNode, kind, r.id) {
			continue
		}
		name := subj(kind, r.id)
		r.label = kind + " " + r.id
		if whenNode == nil {
			l.errorf(rn, name, CodeMissing, "missing when")
			continue
		}
		r.when = c.compile(whenNode, name, KindBool, sec)
		if recycle {
			if toNode == nil {
				l.errorf(rn, name, CodeMissing, "missing to (the stage to recycle into)")
				continue
			}
			to, _ := l.scalar(toNode, "to", name)
			idx, ok := c.rs.stageIdx[to]
			if !ok {
				l.errorf(toNode, name, CodeUnknownStage, "unknown stage %q (declared: %s)", to, strings.Join(c.rs.Stages(), ", "))
				continue
			}
			r.to = idx
		}
		if r.when != nil {
			out = append(out, r)
		}
	}
	return out
}

// finite reports whether f is a usable number of points.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// suggest returns the declared name closest to name, when it is a likely
// typo (edit distance at most 2).
func suggest(name string, names map[string]int) string {
	// Names are identifiers; a "name" of kilobytes is an attack or an
	// accident, and comparing it with every field would make a hostile
	// file quadratic. Only names within two characters of the same
	// length can be within distance 2.
	const maxName = 64
	n := utf8.RuneCountInString(name)
	if n > maxName || len(names) > 10*DefaultMaxFields {
		return ""
	}
	best, bestD := "", 3
	for _, cand := range sortedKeys(names) {
		if strings.EqualFold(cand, name) {
			return cand // "SQL" for sql
		}
	}
	for _, cand := range sortedKeys(names) {
		m := utf8.RuneCountInString(cand)
		if m > maxName || m-n > 2 || n-m > 2 {
			continue
		}
		if d := editDistance(name, cand); d < bestD {
			best, bestD = cand, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein (optimal string alignment)
// distance, so a swap of two letters counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
