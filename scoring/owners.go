package scoring

import "slices"

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

// markPlain marks the plain rules (rule.plain), sums the steps of their
// conditions per model (model.plainCost), lists the conditions
// (model.conds), and resolves what each expression and rule reads for the
// trace (expression.rd, rule.reads, RuleSet.traceFields).
func (rs *RuleSet) markPlain() {
	for _, e := range rs.exprs {
		e.rd = nil
		for _, id := range e.reads {
			r := &rs.refs[id]
			e.rd = append(e.rd, traceRead{ref: id, idx: int32(r.idx), kind: r.kind, val: -1})
		}
	}
	for mi := range rs.models {
		m := &rs.models[mi]
		m.plainCost, m.conds, m.all = 0, nil, nil
		testsFired := false
		for ri := range m.rules {
			r := &m.rules[ri]
			r.plain = !r.event && r.pointsExpr == nil && (r.when == nil || r.when.fast.b != nil)
			c := plainCond{id: noExpr, rule: int32(ri)}
			if r.plain && r.when != nil {
				m.plainCost += r.when.cost + 1
				c.b, c.id = r.when.fast.b, r.when.id
				for _, d := range r.when.deps {
					testsFired = testsFired || d.rule != ""
				}
			}
			m.conds = append(m.conds, c)
			m.all = append(m.all, int32(ri))
			r.reads = nil
			if r.when != nil {
				r.reads = append(r.reads, r.when.rd...)
			}
			if p := r.pointsExpr; p != nil {
				for _, rd := range p.rd {
					if !slices.ContainsFunc(r.reads, func(x traceRead) bool { return x.ref == rd.ref }) {
						r.reads = append(r.reads, rd)
					}
				}
			}
		}
		rs.maxRules = max(rs.maxRules, len(m.rules))
		if testsFired {
			m.conds = nil
		}
	}
	rs.traceValues()
}

// traceValues lists the values a trace keeps (RuleSet.traceFields,
// traceRuns, tracePII, traceScores): what the score rules and the rules
// that can set the stage read, each once; and points each of their reads
// at its place (traceRead.val).
func (rs *RuleSet) traceValues() {
	rs.traceFields, rs.traceScores = nil, nil
	field := make(map[int32]int32) // field slot → place
	score := make(map[int32]int32) // model → place among the scores
	note := func(reads []traceRead) {
		for _, rd := range reads {
			switch rd.kind {
			case refField:
				if _, ok := field[rd.idx]; !ok {
					field[rd.idx] = -1 // placed below
					rs.traceFields = append(rs.traceFields, rd.idx)
				}
			case refScore:
				if _, ok := score[rd.idx]; !ok {
					score[rd.idx] = int32(len(rs.traceScores))
					rs.traceScores = append(rs.traceScores, rd.idx)
				}
			}
		}
	}
	var stageExprs []*expression
	for i := range rs.stages {
		stageExprs = append(stageExprs, rs.stages[i].when)
	}
	for _, rules := range [][]stageRule{rs.disqualify, rs.recycle} {
		for i := range rules {
			stageExprs = append(stageExprs, rules[i].when)
		}
	}
	for mi := range rs.models {
		for ri := range rs.models[mi].rules {
			note(rs.models[mi].rules[ri].reads)
		}
	}
	for _, e := range stageExprs {
		if e != nil {
			note(e.rd)
		}
	}
	// The fields in slot order, so that buildTrace copies runs of
	// neighbours at once (traceRuns); pii places follow.
	slices.Sort(rs.traceFields)
	rs.tracePII, rs.traceRuns = nil, nil
	for k, slot := range rs.traceFields {
		field[slot] = int32(k)
		if rs.fields[slot].pii {
			rs.tracePII = append(rs.tracePII, int32(k))
		}
		if n := len(rs.traceRuns); n > 0 && rs.traceRuns[n-1].from+rs.traceRuns[n-1].n == slot {
			rs.traceRuns[n-1].n++
		} else {
			rs.traceRuns = append(rs.traceRuns, traceRun{from: slot, to: int32(k), n: 1})
		}
	}
	place := func(reads []traceRead) {
		for i := range reads {
			rd := &reads[i]
			switch rd.kind {
			case refField:
				if k, ok := field[rd.idx]; ok {
					rd.val = k
				}
			case refScore:
				if k, ok := score[rd.idx]; ok {
					rd.val = int32(len(rs.traceFields)) + k
				}
			}
		}
	}
	for _, e := range rs.exprs {
		place(e.rd)
	}
	for mi := range rs.models {
		for ri := range rs.models[mi].rules {
			place(rs.models[mi].rules[ri].reads)
		}
	}
}
