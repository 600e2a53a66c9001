package scoring

import (
	"fmt"
	"reflect"
	"strings"
)

// orderModels computes the order in which score models are evaluated: a
// model that reads another's score (scores.X), tests another's rule
// (fired("id")) or sums other models comes after them; otherwise file
// order. A cycle is a load error at each reference that closes it.
func (c *compiler) orderModels() {
	rs := c.rs
	rs.ruleModel = map[string][2]int{}
	n := 0
	for mi := range rs.models {
		for ri := range rs.models[mi].rules {
			r := &rs.models[mi].rules[ri]
			rs.ruleModel[r.id] = [2]int{mi, n}
			r.num = n
			n++
		}
	}
	rs.nRules = n
	rs.usesFired = c.usesFired
	for _, ref := range c.firedRefs {
		if mr, ok := rs.ruleModel[ref.id]; ok {
			ref.num = mr[1]
		}
	}
	type edge struct {
		to        int
		what      string
		line, col int
		rule      string
	}
	edges := make([][]edge, len(rs.models))
	for mi := range rs.models {
		m := &rs.models[mi]
		for _, ref := range m.sum {
			edges[mi] = append(edges[mi], edge{to: ref.idx, what: "sum " + rs.models[ref.idx].name, line: ref.line, col: ref.col})
		}
		for ri := range m.rules {
			r := &m.rules[ri]
			for _, e := range []*expression{r.when, r.pointsExpr} {
				if e == nil {
					continue
				}
				for _, d := range e.deps {
					to := d.model
					if to < 0 {
						mr, ok := rs.ruleModel[d.rule]
						if !ok {
							continue // an unknown rule id: checkLiterals reports it
						}
						to = mr[0]
						if to == mi {
							// A rule of the same model: allowed when it comes
							// earlier in the file (it has been evaluated).
							if rs.models[mi].ruleIndex(d.rule) < ri {
								continue
							}
							c.l.errAt(e.line, e.col, subj("rule", r.id), CodeInvalid,
								"%s: rule %q of the same score comes later (or is this rule), so it has not been evaluated yet", d.what, d.rule)
							continue
						}
					}
					edges[mi] = append(edges[mi], edge{to: to, what: d.what, line: e.line, col: e.col, rule: r.id})
				}
			}
		}
	}
	// Depth-first search in file order: a model is placed after
	// everything it reads. Colours: 0 new, 1 on the stack, 2 done.
	colour := make([]int, len(rs.models))
	var stack []int
	reported := map[string]bool{}
	var visit func(mi int)
	visit = func(mi int) {
		colour[mi] = 1
		stack = append(stack, mi)
		for _, e := range edges[mi] {
			switch colour[e.to] {
			case 0:
				visit(e.to)
			case 1:
				// A cycle: the models on the stack from e.to to mi.
				var names []string
				for i := len(stack) - 1; i >= 0; i-- {
					names = append([]string{rs.models[stack[i]].name}, names...)
					if stack[i] == e.to {
						break
					}
				}
				names = append(names, rs.models[e.to].name)
				key := fmt.Sprint(e.line, e.col)
				if !reported[key] {
					reported[key] = true
					s := subj("score", rs.models[mi].name)
					if e.rule != "" {
						s = subj("rule", e.rule)
					}
					if e.to == mi {
						c.l.errAt(e.line, e.col, s, CodeInvalid, "%s: a score cannot read its own value (a cycle)", e.what)
					} else {
						c.l.errAt(e.line, e.col, s, CodeInvalid, "%s makes a cycle of scores: %s", e.what, strings.Join(names, " → "))
					}
				}
			}
		}
		stack = stack[:len(stack)-1]
		colour[mi] = 2
		rs.order = append(rs.order, mi)
	}
	for mi := range rs.models {
		if colour[mi] == 0 {
			visit(mi)
		}
	}
}

func (m *model) ruleIndex(id string) int {
	for i := range m.rules {
		if m.rules[i].id == id {
			return i
		}
	}
	return -1
}

// typeFired is the type of the environment's fired: bound per evaluation
// state, like days_since.
var typeFired = reflect.TypeOf(func(string) bool { return false })

// firedRule is fired() for the state s: whether the score rule with that id
// fired in this evaluation (so far: models are evaluated in dependency
// order, grades and stages after every model).
func (s *evalState) firedRule(id string) bool {
	mr, ok := s.rs.ruleModel[id]
	return ok && len(s.fired) > 0 && s.fired[mr[1]]
}
