package scoring

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"

	"github.com/expr-lang/expr/ast"
)

// The static cost estimator: an upper bound, computed at load from an
// expression's type-checked syntax tree, of the steps one evaluation takes
// and the bytes it allocates, given the limits on what it can read (the
// longest string, the largest list, the constant lists as declared). It is
// what lets the package accept rules from untrusted users: anything whose
// worst case is over the limits is rejected before a lead is scored, so no
// evaluation needs a watchdog. Like cel-go's checker.CostEstimator, it is
// sound rather than exact: it may overestimate, never underestimate.
//
// Units: a step is one node of the tree evaluated (a comparison, a read,
// one iteration of a predicate) or stringStep bytes of string work.

const (
	stringStep = 32 // bytes of string work per step
	itemBytes  = 16 // bytes of one element of a []any or []string
	allocStep  = 24 // steps charged for each allocation, beside its bytes
	loopStep   = 4  // steps of a predicate's own loop per element (expr's VM runs ~5 instructions)
	readStep   = 3  // steps of reading a field of the environment (a reflect access on expr's VM)
	huge       = 1e300
)

// shape bounds a value: for a string its bytes, for a list or map its
// items (with elem bounding each item), 0 for a scalar.
type shape struct {
	n    float64
	elem *shape
}

var scalar = &shape{}

// estimate is the bound of one (sub)expression.
type estimate struct {
	cost float64 // steps
	mem  float64 // bytes allocated
	sh   *shape
}

func sat(x float64) float64 {
	if x > huge || math.IsNaN(x) {
		return huge
	}
	return x
}

func (e estimate) add(o estimate) estimate {
	return estimate{cost: sat(e.cost + o.cost), mem: sat(e.mem + o.mem), sh: e.sh}
}

// costError is an expression the estimator cannot bound; it is a load
// error at the node's position.
type costError struct {
	node ast.Node
	msg  string
}

type estimator struct {
	rs   *RuleSet
	lim  Limits
	vars map[string]*shape // let-bound variables in scope
	ptr  []*shape          // the element shape of each enclosing predicate
	err  *costError
}

func (x *estimator) fail(n ast.Node, format string, a ...any) estimate {
	if x.err == nil {
		x.err = &costError{node: n, msg: fmt.Sprintf(format, a...)}
	}
	return estimate{cost: huge, mem: huge, sh: scalar}
}

// strShape is the shape of a string read from a lead.
func (x *estimator) strShape() *shape { return &shape{n: float64(x.lim.StringBytes)} }

// byType is the shape of a value of type t read from outside the
// expression.
func (x *estimator) byType(t reflect.Type) *shape {
	if t == nil {
		return scalar
	}
	switch t.Kind() {
	case reflect.String:
		return x.strShape()
	case reflect.Slice, reflect.Array:
		return &shape{n: float64(max(x.lim.ListItems, x.lim.LeadListItems)), elem: x.byType(t.Elem())}
	case reflect.Map:
		return &shape{n: float64(max(x.lim.ListItems, x.lim.LeadListItems)), elem: x.byType(t.Elem())}
	case reflect.Struct:
		return &shape{n: float64(t.NumField()), elem: x.strShape()}
	}
	return scalar
}

func strWork(n float64) float64 { return math.Ceil(n / stringStep) }

// estimate bounds node n.
func (x *estimator) estimate(n ast.Node) estimate {
	if x.err != nil {
		return estimate{cost: huge, mem: huge, sh: scalar}
	}
	switch v := n.(type) {
	case *ast.NilNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return estimate{cost: 1, sh: scalar}
	case *ast.StringNode:
		return estimate{cost: 1, sh: &shape{n: float64(len(v.Value))}}
	case *ast.BytesNode:
		return estimate{cost: 1, sh: &shape{n: float64(len(v.Value))}}
	case *ast.ConstantNode:
		return estimate{cost: 1, sh: constShape(reflect.ValueOf(v.Value))}
	case *ast.IdentifierNode:
		return estimate{cost: readStep, sh: x.ident(v)}
	case *ast.PointerNode:
		if v.Name == "" && len(x.ptr) > 0 {
			return estimate{cost: 1, sh: x.ptr[len(x.ptr)-1]}
		}
		return estimate{cost: 1, sh: scalar} // #index
	case *ast.UnaryNode:
		e := x.estimate(v.Node)
		e.cost = sat(e.cost + 1)
		e.sh = scalar
		return e
	case *ast.BinaryNode:
		return x.binary(v)
	case *ast.ChainNode:
		return x.estimate(v.Node)
	case *ast.MemberNode:
		return x.member(v)
	case *ast.SliceNode:
		e := x.estimate(v.Node)
		if v.From != nil {
			e = e.add(x.estimate(v.From))
		}
		if v.To != nil {
			e = e.add(x.estimate(v.To))
		}
		e.cost = sat(e.cost + 1)
		return e
	case *ast.CallNode:
		return x.call(v)
	case *ast.BuiltinNode:
		return x.builtin(v)
	case *ast.ConditionalNode:
		c := x.estimate(v.Cond)
		a, b := x.estimate(v.Exp1), x.estimate(v.Exp2)
		return estimate{cost: sat(c.cost + math.Max(a.cost, b.cost) + 1), mem: sat(c.mem + math.Max(a.mem, b.mem)), sh: maxShape(a.sh, b.sh)}
	case *ast.VariableDeclaratorNode:
		val := x.estimate(v.Value)
		if x.vars == nil {
			x.vars = map[string]*shape{}
		}
		prev, had := x.vars[v.Name]
		x.vars[v.Name] = val.sh
		body := x.estimate(v.Expr)
		if had {
			x.vars[v.Name] = prev
		} else {
			delete(x.vars, v.Name)
		}
		return estimate{cost: sat(val.cost + body.cost + 1), mem: sat(val.mem + body.mem), sh: body.sh}
	case *ast.SequenceNode:
		e := estimate{sh: scalar}
		for _, s := range v.Nodes {
			se := x.estimate(s)
			e = e.add(se)
			e.sh = se.sh
		}
		return e
	case *ast.ArrayNode:
		e := estimate{cost: 1, sh: &shape{n: float64(len(v.Nodes)), elem: scalar}}
		for _, it := range v.Nodes {
			ie := x.estimate(it)
			e = e.add(ie)
			e.sh.elem = maxShape(e.sh.elem, ie.sh)
		}
		e.mem = sat(e.mem + itemBytes*float64(len(v.Nodes)))
		e.cost = sat(e.cost + allocStep)
		return e
	case *ast.MapNode:
		e := estimate{cost: 1, sh: &shape{n: float64(len(v.Pairs)), elem: scalar}}
		for _, p := range v.Pairs {
			pe := x.estimate(p)
			e = e.add(pe)
			e.sh.elem = maxShape(e.sh.elem, pe.sh)
		}
		e.mem = sat(e.mem + 4*itemBytes*float64(len(v.Pairs)))
		e.cost = sat(e.cost + allocStep)
		return e
	case *ast.PairNode:
		k, val := x.estimate(v.Key), x.estimate(v.Value)
		e := k.add(val)
		e.sh = val.sh
		return e
	case *ast.PredicateNode:
		return x.estimate(v.Node)
	}
	return x.fail(n, "cannot bound the cost of this expression (%T)", n)
}

func constShape(v reflect.Value) *shape {
	switch v.Kind() {
	case reflect.String:
		return &shape{n: float64(v.Len())}
	case reflect.Slice, reflect.Array:
		s := &shape{n: float64(v.Len()), elem: scalar}
		for i := 0; i < v.Len(); i++ {
			s.elem = maxShape(s.elem, constShape(v.Index(i)))
		}
		return s
	case reflect.Map:
		s := &shape{n: float64(v.Len()), elem: scalar}
		it := v.MapRange()
		for it.Next() {
			s.elem = maxShape(s.elem, constShape(it.Value()))
		}
		return s
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return scalar
		}
		return constShape(v.Elem())
	}
	return scalar
}

func maxShape(a, b *shape) *shape {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if a == scalar {
		return b
	}
	if b == scalar {
		return a
	}
	return &shape{n: math.Max(a.n, b.n), elem: maxShape(a.elem, b.elem)}
}

func (x *estimator) ident(v *ast.IdentifierNode) *shape {
	if s, ok := x.vars[v.Value]; ok {
		return s
	}
	rs := x.rs
	if i, ok := rs.fieldIdx[v.Value]; ok {
		switch rs.fields[i].kind {
		case KindString:
			return x.strShape()
		case KindList:
			return &shape{n: float64(x.lim.LeadListItems), elem: x.strShape()}
		}
		return scalar
	}
	switch v.Value {
	case "grade":
		n := 0
		for _, g := range rs.grades {
			n = max(n, len(g.grade))
		}
		return &shape{n: float64(n)}
	case "stage":
		n := len(DisqualifiedStage)
		for _, st := range rs.stages {
			n = max(n, len(st.id))
		}
		return &shape{n: float64(n)}
	case "segments":
		n := 0
		for _, sg := range rs.segments {
			n = max(n, len(sg.id))
		}
		return &shape{n: float64(len(rs.segments)), elem: &shape{n: float64(n)}}
	case "lists", "scores", "event", "at":
		return scalar
	case "events":
		return &shape{n: float64(x.lim.Events), elem: &shape{n: float64(len(rs.props) + 2), elem: x.strShape()}}
	}
	return x.byType(v.Type())
}

func (x *estimator) member(v *ast.MemberNode) estimate {
	if base, ok := v.Node.(*ast.IdentifierNode); ok {
		if _, shadowed := x.vars[base.Value]; !shadowed {
			if prop, ok := v.Property.(*ast.StringNode); ok {
				switch base.Value {
				case "lists":
					if i, ok := x.rs.listIdx[prop.Value]; ok {
						l := x.rs.lists[i]
						n := 0
						for _, it := range l.items {
							n = max(n, len(it))
						}
						return estimate{cost: 2 * readStep, sh: &shape{n: float64(len(l.items)), elem: &shape{n: float64(n)}}}
					}
				case "scores":
					return estimate{cost: 2 * readStep, sh: scalar}
				case "event":
					if prop.Value == "time" {
						return estimate{cost: 2 * readStep, sh: scalar}
					}
					if i, ok := x.rs.propIdx[prop.Value]; ok && x.rs.props[i].kind != KindString && x.rs.props[i].kind != KindList {
						return estimate{cost: 2 * readStep, sh: scalar}
					}
					return estimate{cost: 2 * readStep, sh: x.strShape()}
				}
			}
		}
	}
	b := x.estimate(v.Node)
	p := x.estimate(v.Property)
	e := b.add(p)
	e.cost = sat(e.cost + 1)
	switch {
	case b.sh != nil && b.sh.elem != nil:
		e.sh = b.sh.elem
	case b.sh != nil && b.sh != scalar && v.Node.Type() != nil && v.Node.Type().Kind() == reflect.String:
		e.sh = &shape{n: 4} // one character
	default:
		e.sh = x.byType(v.Type())
	}
	return e
}

func (x *estimator) binary(v *ast.BinaryNode) estimate {
	if v.Operator == ".." {
		lo, ok1 := constInt(v.Left)
		hi, ok2 := constInt(v.Right)
		if !ok1 || !ok2 {
			return x.fail(v, "the bounds of a range a..b must be integer literals, so that its size is known at load")
		}
		size := math.Max(0, float64(hi)-float64(lo)+1)
		return estimate{cost: sat(3 + allocStep + size), mem: sat(itemBytes * size), sh: &shape{n: size, elem: scalar}}
	}
	a, b := x.estimate(v.Left), x.estimate(v.Right)
	e := a.add(b)
	e.cost = sat(e.cost + 1)
	e.sh = scalar
	an, bn := a.sh.n, b.sh.n
	isStr := func(n ast.Node) bool { return n.Type() != nil && n.Type().Kind() == reflect.String }
	isSeq := func(n ast.Node) bool {
		return n.Type() != nil && (n.Type().Kind() == reflect.Slice || n.Type().Kind() == reflect.Array)
	}
	switch v.Operator {
	case "+":
		if isStr(v.Left) || isStr(v.Right) {
			e.sh = &shape{n: sat(an + bn)}
			e.cost = sat(e.cost + strWork(an+bn) + allocStep)
			e.mem = sat(e.mem + an + bn)
		} else if isSeq(v.Left) || isSeq(v.Right) {
			e.sh = &shape{n: sat(an + bn), elem: maxShape(a.sh.elem, b.sh.elem)}
			e.cost = sat(e.cost + an + bn + allocStep)
			e.mem = sat(e.mem + itemBytes*(an+bn))
		}
	case "in", "not in":
		if b.sh.elem != nil && isSeq(v.Right) {
			// One comparison per item, each over the shorter string.
			e.cost = sat(e.cost + bn*(1+strWork(math.Min(an, b.sh.elem.n))))
		} else {
			e.cost = sat(e.cost + strWork(an))
		}
	case "contains", "startsWith", "endsWith", "not contains", "not startsWith", "not endsWith":
		e.cost = sat(e.cost + strWork(an+bn))
	case "matches", "not matches":
		// Go's regexp runs in O(len(text) × len(pattern)); a pattern that
		// is not a literal is also compiled on every evaluation.
		pat := bn
		if _, lit := v.Right.(*ast.StringNode); !lit {
			e.mem = sat(e.mem + 64*bn)
			e.cost = sat(e.cost + bn)
		}
		e.cost = sat(e.cost + strWork(an*math.Max(1, pat)))
	case "==", "!=", "<", "<=", ">", ">=":
		if a.sh.elem != nil || b.sh.elem != nil {
			e.cost = sat(e.cost + an + bn)
		}
		e.cost = sat(e.cost + strWork(math.Min(an, bn)))
	case "??":
		e.sh = maxShape(a.sh, b.sh)
	}
	return e
}

// constInt reports an integer literal, possibly negated.
func constInt(n ast.Node) (int64, bool) {
	switch v := n.(type) {
	case *ast.IntegerNode:
		return int64(v.Value), true
	case *ast.UnaryNode:
		if v.Operator == "-" {
			if i, ok := constInt(v.Node); ok {
				return -i, true
			}
		}
	}
	return 0, false
}

func (x *estimator) call(v *ast.CallNode) estimate {
	e := estimate{cost: 1, sh: scalar}
	for _, a := range v.Arguments {
		ae := x.estimate(a)
		e = e.add(ae)
		e.cost = sat(e.cost + strWork(ae.sh.n))
	}
	switch c := v.Callee.(type) {
	case *ast.IdentifierNode:
		if c.Value == "duration" || c.Value == "days_since" || c.Value == "fired" {
			return e
		}
	case *ast.MemberNode:
		// A method of a value the environment holds: only time.Time and
		// time.Duration have methods there (at.Year(), created_at.Format(…)).
		if t := c.Node.Type(); t == typeTime || (t != nil && t.String() == "time.Duration") {
			b := x.estimate(c.Node)
			e = e.add(b)
			arg := 0.0
			for _, a := range v.Arguments {
				if s, ok := a.(*ast.StringNode); ok {
					arg += float64(len(s.Value))
				}
			}
			if v.Type() != nil && v.Type().Kind() == reflect.String {
				// Format writes at most a few bytes per layout byte.
				e.sh = &shape{n: 64 + 16*arg}
				e.mem = sat(e.mem + e.sh.n)
				e.cost = sat(e.cost + strWork(e.sh.n) + allocStep)
			}
			return e
		}
	}
	return x.fail(v, "cannot bound the cost of this call")
}

// predicates are the builtins that evaluate their second argument once per
// element of the first.
var predicates = map[string]bool{
	"all": true, "none": true, "any": true, "one": true, "filter": true, "map": true,
	"find": true, "findIndex": true, "findLast": true, "findLastIndex": true,
	"count": true, "sum": true, "sortBy": true,
}

func (x *estimator) builtin(v *ast.BuiltinNode) estimate {
	if predicates[v.Name] && len(v.Arguments) >= 2 {
		coll := x.estimate(v.Arguments[0])
		elem := coll.sh.elem
		if elem == nil {
			elem = scalar
		}
		x.ptr = append(x.ptr, elem)
		body := x.estimate(v.Arguments[1])
		x.ptr = x.ptr[:len(x.ptr)-1]
		n := coll.sh.n
		e := estimate{
			cost: sat(coll.cost + n*(body.cost+loopStep) + 1),
			mem:  sat(coll.mem + n*body.mem),
			sh:   scalar,
		}
		for _, extra := range v.Arguments[2:] {
			e = e.add(x.estimate(extra))
		}
		switch v.Name {
		case "filter":
			e.sh = coll.sh
			e.mem = sat(e.mem + itemBytes*n)
			e.cost = sat(e.cost + allocStep)
		case "map":
			e.sh = &shape{n: n, elem: body.sh}
			e.mem = sat(e.mem + itemBytes*n)
			e.cost = sat(e.cost + allocStep)
		case "sortBy":
			e.sh = coll.sh
			e.mem = sat(e.mem + 2*itemBytes*n)
			e.cost = sat(e.cost + n*math.Log2(n+2)*(1+strWork(body.sh.n)) + allocStep)
		case "find", "findLast":
			e.sh = elem
		}
		return e
	}
	args := make([]estimate, len(v.Arguments))
	e := estimate{cost: 1, sh: scalar}
	for i, a := range v.Arguments {
		args[i] = x.estimate(a)
		e = e.add(args[i])
	}
	arg := func(i int) *shape {
		if i < len(args) && args[i].sh != nil {
			return args[i].sh
		}
		return scalar
	}
	a0 := arg(0)
	work := func(c, m float64) {
		if m > 0 {
			c += allocStep
		}
		e.cost = sat(e.cost + c)
		e.mem = sat(e.mem + m)
	}
	switch v.Name {
	case "len", "type", "abs", "ceil", "floor", "round", "int", "float", "first", "last", "get",
		"bitnot", "bitand", "bitor", "bitxor", "bitnand", "bitshl", "bitshr", "bitushr":
		if v.Name == "first" || v.Name == "last" || v.Name == "get" {
			e.sh = a0.elem
			if e.sh == nil {
				e.sh = x.byType(v.Type())
			}
		}
		if v.Name == "len" {
			work(strWork(a0.n), 0)
		}
	case "duration", "date":
		work(strWork(a0.n), 0)
	case "string":
		n := printed(a0)
		e.sh = &shape{n: n}
		work(strWork(n), n)
	case "trim", "trimPrefix", "trimSuffix":
		e.sh = &shape{n: a0.n}
		work(strWork(a0.n+arg(1).n), a0.n)
	case "upper", "lower":
		// Case mapping can grow a UTF-8 string by half; bound it by 3×.
		e.sh = &shape{n: sat(3 * a0.n)}
		work(strWork(a0.n), 3*a0.n)
	case "split", "splitAfter":
		items := a0.n + 1
		e.sh = &shape{n: items, elem: &shape{n: a0.n}}
		work(strWork(a0.n)+items, itemBytes*items)
	case "replace":
		// An empty old string inserts new between every byte.
		out := sat(a0.n + (a0.n+1)*arg(2).n)
		e.sh = &shape{n: out}
		work(strWork(out+a0.n), out)
	case "join":
		el := a0.elem
		if el == nil {
			el = scalar
		}
		out := sat(a0.n * (el.n + arg(1).n))
		e.sh = &shape{n: out}
		work(strWork(out)+a0.n, out)
	case "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix":
		work(strWork(a0.n+arg(1).n), 0)
	case "max", "min", "mean", "median":
		n := float64(len(args))
		for _, a := range args {
			if a.sh.elem != nil {
				n += a.sh.n
			}
		}
		if v.Name == "median" {
			work(n*math.Log2(n+2)*2, itemBytes*n)
		} else {
			work(n, 0)
		}
	case "take":
		e.sh = a0
		work(a0.n, itemBytes*a0.n)
	case "keys", "values":
		el := a0.elem
		if v.Name == "keys" {
			el = x.strShape()
		}
		e.sh = &shape{n: a0.n, elem: el}
		work(a0.n, itemBytes*a0.n)
	case "reverse", "uniq", "sort":
		// n log n comparisons (uniq: hashes), each over a whole element.
		el := a0.elem
		if el == nil {
			el = scalar
		}
		e.sh = a0
		work(a0.n*math.Log2(a0.n+2)*(1+strWork(el.n))+a0.n, 2*itemBytes*a0.n)
	case "concat":
		s := &shape{elem: scalar}
		for _, a := range args {
			s.n = sat(s.n + a.sh.n)
			s.elem = maxShape(s.elem, a.sh.elem)
		}
		e.sh = s
		work(s.n, itemBytes*s.n)
	case "flatten":
		n, el := 1.0, a0
		for el.elem != nil {
			n = sat(n * el.n)
			el = el.elem
		}
		e.sh = &shape{n: n, elem: el}
		work(n, itemBytes*n)
	case "all", "none", "any", "one", "count", "sum":
		// Without a predicate: one pass over a list of booleans or numbers.
		work(a0.n, 0)
	default:
		return x.fail(v, "%s() is not available in rules", v.Name)
	}
	return e
}

// printed bounds the bytes of fmt's %v of a value of shape s.
func printed(s *shape) float64 {
	if s == nil || s == scalar {
		return 40 // a number, bool or time
	}
	if s.elem == nil {
		return s.n
	}
	return sat(2 + s.n*(printed(s.elem)+1))
}

// estimateExpr bounds one evaluation of e's checked tree and reports a
// load error when it is over the limits.
func (c *compiler) estimateExpr(root ast.Node, pos *posIndex, fail func(line, col int, code Code, msg string)) (cost float64, ok bool) {
	x := &estimator{rs: c.rs, lim: c.l.opts.Limits}
	e := x.estimate(root)
	if x.err != nil {
		line, col := pos.at(x.err.node.Location().From)
		fail(line, col, CodeLimit, x.err.msg)
		return 0, false
	}
	lim := c.l.opts.Limits
	if e.cost > lim.evalCost() {
		fail(1, 0, CodeLimit, fmt.Sprintf("one evaluation may cost %s steps, more than the limit of %s (MaxCost/100: %s)",
			fmtSteps(e.cost), fmtSteps(lim.evalCost()), explainShape(root)))
		return 0, false
	}
	if e.mem > float64(lim.Memory) {
		fail(1, 0, CodeLimit, fmt.Sprintf("one evaluation may allocate %s bytes, more than the limit of %d (MaxMemory)", fmtSteps(e.mem), lim.Memory))
		return 0, false
	}
	return e.cost, true
}

// explainShape says what makes an expression expensive in the terms a rule
// author controls.
func explainShape(root ast.Node) string {
	loops := 0
	visit(root, func(n ast.Node) {
		if b, ok := n.(*ast.BuiltinNode); ok && predicates[b.Name] {
			loops++
		}
	})
	if loops > 1 {
		return fmt.Sprintf("%d nested or repeated loops over lists", loops)
	}
	return "loops over lists, long strings or large lists"
}

// fmtSteps prints a cost compactly: 12500, 3.1e+10.
func fmtSteps(f float64) string {
	if f >= huge {
		return "unbounded"
	}
	if f < 1e7 {
		return strconv.FormatFloat(math.Ceil(f), 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', 3, 64)
}

// checkTotalCost bounds one lead's whole evaluation: every expression that
// may run, a per-event rule's once per possible event. Over MaxCost, the
// rules that cost the most are reported at their positions with their share.
func (c *compiler) checkTotalCost() {
	rs, lim := c.rs, c.l.opts.Limits
	type part struct {
		what subject
		e    *expression
		cost float64
	}
	var parts []part
	total := 0.0
	add := func(what subject, mult float64, es ...*expression) {
		var first *expression
		cost := 0.0
		for _, e := range es {
			if e != nil {
				cost += e.cost + 1
				if first == nil {
					first = e
				}
			}
		}
		if first == nil {
			return
		}
		cost = sat(cost * mult)
		total = sat(total + cost)
		parts = append(parts, part{what, first, cost})
	}
	for mi := range rs.models {
		for ri := range rs.models[mi].rules {
			r := &rs.models[mi].rules[ri]
			mult := 1.0
			if r.event {
				mult = float64(lim.Events)
			}
			add(subj("rule", r.id), mult, r.when, r.pointsExpr)
		}
	}
	for _, g := range rs.grades {
		add(subj("grade", g.grade), 1, g.when)
	}
	for _, st := range rs.stages {
		add(subj("stage", st.id), 1, st.when)
	}
	for _, group := range [][]stageRule{rs.disqualify, rs.recycle, rs.segments} {
		for _, r := range group {
			add(subject{ID: r.label}, 1, r.when)
		}
	}
	for _, r := range rs.routing.routes {
		add(subj("route", r.id), 1, r.when)
	}
	rs.cost = total
	if total <= float64(lim.Cost) {
		return
	}
	// Report the most expensive parts: those that together make the excess.
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].cost > parts[j].cost })
	over := total - float64(lim.Cost)
	for i, p := range parts {
		if i > 0 && over <= 0 || i == 5 {
			break
		}
		why := ""
		if p.cost != p.e.cost+1 {
			why = fmt.Sprintf(" (%s per evaluation × up to %d events)", fmtSteps(p.e.cost), lim.Events)
		}
		c.l.errAt(p.e.line, p.e.col, p.what, CodeLimit,
			"a lead's evaluation may cost %s steps, more than the limit of %s (MaxCost); this costs %s of them%s",
			fmtSteps(total), fmtSteps(float64(lim.Cost)), fmtSteps(p.cost), why)
		over -= p.cost
	}
}

// Cost returns the static bound, in steps, of one lead's evaluation: the
// estimate Load checked against MaxCost (see Limits).
func (rs *RuleSet) Cost() float64 { return rs.cost }
