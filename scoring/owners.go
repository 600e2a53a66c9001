package scoring

// noExpr is evalState.cur when no expression is being evaluated.
const noExpr int32 = -1

// idOf is e's id, or noExpr for a nil expression (a rule without when).
func (e *expression) idOf() int32 {
	if e == nil {
		return noExpr
	}
	return e.id
}

// expr returns the expression with the given id, or nil.
func (rs *RuleSet) expr(id int32) *expression {
	if id < 0 || int(id) >= len(rs.exprs) {
		return nil
	}
	return rs.exprs[id]
}

// setOwners records in each expression what an evaluation error names it
// by: the score rule's id, "grade A", "stage mql", "disqualify spam",
// "segment x", "role y", "route z" — what the evaluator would otherwise
// store before every condition.
func (rs *RuleSet) setOwners() {
	own := func(e *expression, label string) {
		if e != nil {
			e.owner = label
		}
	}
	for mi := range rs.models {
		for ri := range rs.models[mi].rules {
			r := &rs.models[mi].rules[ri]
			own(r.when, r.id)
			own(r.pointsExpr, r.id)
		}
	}
	for i := range rs.grades {
		own(rs.grades[i].when, rs.grades[i].label)
	}
	for i := range rs.stages {
		own(rs.stages[i].when, rs.stages[i].label)
	}
	for _, rules := range [][]stageRule{rs.disqualify, rs.recycle, rs.segments, rs.roles} {
		for i := range rules {
			own(rules[i].when, rules[i].label)
		}
	}
	for i := range rs.routing.routes {
		own(rs.routing.routes[i].when, rs.routing.routes[i].label)
	}
}

// markPlain marks the plain rules (rule.plain) and sums the steps of their
// conditions per model (model.plainCost).
func (rs *RuleSet) markPlain() {
	for mi := range rs.models {
		m := &rs.models[mi]
		m.plainCost = 0
		for ri := range m.rules {
			r := &m.rules[ri]
			r.plain = !r.event && r.pointsExpr == nil && (r.when == nil || r.when.fast.b != nil)
			if r.plain && r.when != nil {
				m.plainCost += r.when.cost + 1
			}
		}
	}
}
