package scoring

import "slices"

// trace is a result's compact record of what made it: the contributions,
// as indices into the rule set, and a snapshot of the values the score and
// stage rules can read. The inputs of a contribution are what its rule
// reads (rule.reads, fixed at load), so scoring records none: it copies the
// contributions and the values, and Score.Contributions and
// Result.StageInputs build the readable form only when asked; AppendJSON and
// Explain read it in place. A trace belongs to one Result and is never
// modified after scoring.
type trace struct {
	rs   *RuleSet         // nil for a result that was not scored here (decoded, or built by hand)
	recs []contribScratch // the contributions, by model in evaluation order, each model's in file order
	// vals are the values of the fields the score and stage rules read
	// (RuleSet.traceFields, masked when pii), then the scores they read
	// (RuleSet.traceScores); traceRead.val indexes it.
	vals []Value
	// stageBy is the id of the expression of the rule that set the stage
	// (its reads are Result.StageInputs), or noExpr.
	stageBy int32
	stage   int32         // the lead's stage when the rules read it: the stage it came with
	grade   int32         // index into rs.grades of the grade, or −1
	dec     *decodedTrace // for a decoded result: the trace as decoded
}

// decodedTrace is the trace of a Result decoded from JSON, which names
// rules and fields instead of pointing into a rule set.
type decodedTrace struct {
	scores [][]Contribution // by score index
	stage  []Input
}

// buildTrace copies the evaluator's contributions and the values its rules
// can read into res's trace; grade is the index of the grade (−1 for none),
// stage the lead's stage when the rules read it, stageBy the expression
// that set the stage or nil.
func (s *evalState) buildTrace(res *Result, grade, stage int, stageBy *expression) {
	rs := s.rs
	t := &res.tr
	t.rs, t.grade, t.stage, t.stageBy = rs, int32(grade), int32(stage), stageBy.idOf()
	if n := len(s.contribs); n > 0 {
		if n <= len(res.recBuf) {
			t.recs = res.recBuf[:n:n]
		} else {
			t.recs = make([]contribScratch, n)
		}
		copy(t.recs, s.contribs)
	}
	if len(s.contribs) == 0 && t.stageBy == noExpr {
		return // no inputs to show
	}
	nf, nv := len(rs.traceFields), len(rs.traceFields)+len(rs.traceScores)
	if nv == 0 {
		return
	}
	if nv <= len(res.valBuf) {
		t.vals = res.valBuf[:nv:nv]
	} else {
		t.vals = make([]Value, nv)
	}
	for _, run := range rs.traceRuns {
		copy(t.vals[run.to:run.to+run.n], s.vals[run.from:run.from+run.n])
	}
	for _, k := range rs.tracePII {
		t.vals[k] = rs.mask(t.vals[k])
	}
	for k, m := range rs.traceScores {
		t.vals[nf+k].set(floatVal(s.scores[m]))
	}
}

// reads returns what the contribution c read: its rule's reads, none for
// the part of a sum.
func (t *trace) reads(c *contribScratch) []traceRead {
	if c.rule < 0 {
		return nil
	}
	return t.rs.models[c.model].rules[c.rule].reads
}

// stageReads returns what the rule that set the stage read.
func (t *trace) stageReads() []traceRead {
	if e := t.rs.expr(t.stageBy); e != nil {
		return e.rd
	}
	return nil
}

// stageReadsOf is stageReads for a trace that may not come from a rule set.
func (t *trace) stageReadsOf() []traceRead {
	if t.dec != nil || t.rs == nil {
		return nil
	}
	return t.stageReads()
}

// value returns the value a read saw.
func (t *trace) value(rd *traceRead) Value {
	switch rd.kind {
	case refField, refScore:
		return t.vals[rd.val]
	case refGrade:
		if t.grade >= 0 {
			return t.rs.grades[t.grade].val
		}
		return emptyStrVal
	default: // refStage
		return stageValue(t.rs, int(t.stage))
	}
}

// contribution returns the contribution rec of the trace without its inputs.
func (t *trace) contribution(c *contribScratch) Contribution {
	if c.rule < 0 {
		return Contribution{Score: t.rs.models[-1-c.rule].name, Points: c.points}
	}
	r := &t.rs.models[c.model].rules[c.rule]
	return Contribution{Rule: r.id, Points: c.points, Capped: c.capped, Decayed: r.halfLife > 0, Events: int(c.events)}
}

// inputs returns what reads saw, or nil when there are none.
func (t *trace) inputs(reads []traceRead) []Input {
	if len(reads) == 0 {
		return nil
	}
	out := make([]Input, len(reads))
	for k := range reads {
		out[k] = Input{Field: t.rs.refs[reads[k].ref].name, Value: t.value(&reads[k])}
	}
	return out
}

// contributions builds the contributions c0:c1 (for a decoded trace: of
// score c0).
func (t *trace) contributions(c0, c1 int32) []Contribution {
	switch {
	case t.dec != nil:
		if int(c0) < len(t.dec.scores) {
			return slices.Clone(t.dec.scores[c0])
		}
		return nil
	case t.rs == nil:
		return nil
	}
	recs := t.recs[c0:c1]
	out := make([]Contribution, len(recs))
	n := 0
	for i := range recs {
		n += len(t.reads(&recs[i]))
	}
	var all []Input
	if n > 0 {
		all = make([]Input, 0, n)
	}
	for i := range recs {
		c := &recs[i]
		out[i] = t.contribution(c)
		if reads := t.reads(c); len(reads) > 0 {
			j := len(all)
			for k := range reads {
				all = append(all, Input{Field: t.rs.refs[reads[k].ref].name, Value: t.value(&reads[k])})
			}
			out[i].Inputs = all[j:len(all):len(all)]
		}
	}
	return out
}

// contributed reports whether the score rule with the given id gave points.
func (t *trace) contributed(rule string) bool {
	if t.dec != nil {
		for _, cs := range t.dec.scores {
			for i := range cs {
				if cs[i].Rule == rule {
					return true
				}
			}
		}
		return false
	}
	for i := range t.recs {
		c := &t.recs[i]
		if c.rule >= 0 && t.rs.models[c.model].rules[c.rule].id == rule {
			return true
		}
	}
	return false
}

// encodable reports whether every float and time of the trace can be
// encoded as JSON.
func (t *trace) encodable() bool {
	if d := t.dec; d != nil {
		for _, cs := range d.scores {
			for _, c := range cs {
				if !finite(c.Points) || !inputsEncodable(c.Inputs) {
					return false
				}
			}
		}
		return inputsEncodable(d.stage)
	}
	if t.rs == nil {
		return true
	}
	for i := range t.recs {
		c := &t.recs[i]
		if !finite(c.points) || !t.readsEncodable(t.reads(c)) {
			return false
		}
	}
	return t.readsEncodable(t.stageReads())
}

// readsEncodable reports whether the values reads saw can be encoded as
// JSON (only the values shown count: the snapshot holds more).
func (t *trace) readsEncodable(reads []traceRead) bool {
	for k := range reads {
		if v := t.value(&reads[k]); !v.encodable() {
			return false
		}
	}
	return true
}

func inputsEncodable(in []Input) bool {
	for i := range in {
		if !in[i].Value.encodable() {
			return false
		}
	}
	return true
}
