package scoring

// Item is one thing of a rules file a lead's evaluation can hit: a score
// rule, a grade, a stage, a disqualify or recycle rule, a segment, a route.
// Items lists them for coverage reports (package ruletest) and linters.
type Item struct {
	Kind string `json:"kind"` // "rule", "grade", "stage", "disqualify", "recycle", "segment", "route"
	ID   string `json:"id"`
	Line int    `json:"line,omitempty"` // of its expression, 0 when it has none
}

// Items returns every item of the rules file, in file order within each
// kind, kinds in evaluation order.
func (rs *RuleSet) Items() []Item {
	var out []Item
	line := func(e *expression) int {
		if e == nil {
			return 0
		}
		return e.line
	}
	for _, m := range rs.models {
		for _, r := range m.rules {
			l := r.line
			if l == 0 {
				l = line(r.when)
			}
			out = append(out, Item{Kind: "rule", ID: r.id, Line: l})
		}
	}
	for _, g := range rs.grades {
		out = append(out, Item{Kind: "grade", ID: g.grade, Line: line(g.when)})
	}
	for _, st := range rs.stages {
		out = append(out, Item{Kind: "stage", ID: st.id, Line: line(st.when)})
	}
	for _, r := range rs.disqualify {
		out = append(out, Item{Kind: "disqualify", ID: r.id, Line: line(r.when)})
	}
	for _, r := range rs.recycle {
		out = append(out, Item{Kind: "recycle", ID: r.id, Line: line(r.when)})
	}
	for _, r := range rs.segments {
		out = append(out, Item{Kind: "segment", ID: r.id, Line: line(r.when)})
	}
	for _, r := range rs.routing.routes {
		out = append(out, Item{Kind: "route", ID: r.id, Line: line(r.when)})
	}
	return out
}

// Hit reports whether the evaluation that gave res hit the item: a score
// rule contributed, the lead got the grade, ended in the stage, was moved by
// the disqualify or recycle rule, is in the segment, or was routed by the
// route.
func (it Item) Hit(res *Result) bool {
	if res == nil {
		return false
	}
	switch it.Kind {
	case "rule":
		return res.contributed(it.ID)
	case "grade":
		return res.Grade == it.ID
	case "stage":
		return res.Stage == it.ID
	case "disqualify", "recycle":
		return res.StageRule == it.ID
	case "segment":
		for _, s := range res.Segments {
			if s == it.ID {
				return true
			}
		}
	case "route":
		return res.Route.ID == it.ID
	}
	return false
}
