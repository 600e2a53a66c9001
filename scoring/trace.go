package scoring

import (
	"slices"
	"unsafe"
)

// trace is a result's compact record of what made it: the contributions
// and the inputs they read, as indices into the rule set, and the values of
// the lead fields read. Scoring fills it with two copies of the evaluator's
// scratch — one pointer-free allocation for the records, one for the
// values — and Score.Contributions and Result.StageInputs build the
// readable form from it only when asked; AppendJSON and Explain read it in
// place. A trace belongs to one Result and is never modified after scoring.
type trace struct {
	rs   *RuleSet         // nil for a result that was not scored here (decoded, or built by hand)
	recs []contribScratch // the contributions, by model in evaluation order, each model's in file order
	ins  []traceInput     // the inputs, in the order read; recs[i].in0:in1 and stage0:stage1 index it
	vals []Value          // the values read: each lead field once (masked when pii), each score as it was read
	// stage0:stage1 are the inputs of the stage rule (Result.StageInputs).
	stage0, stage1 int32
	grade          int32         // index into rs.grades of the grade, or −1
	dec            *decodedTrace // for a decoded result: the trace as decoded
}

// traceInput is one value an expression read.
type traceInput struct {
	ref  int32 // index into rs.refs
	slot int32 // for a field or a score: index into trace.vals; for the stage: the stage index when it was read
}

// decodedTrace is the trace of a Result decoded from JSON, which names
// rules and fields instead of pointing into a rule set.
type decodedTrace struct {
	scores [][]Contribution // by score index
	stage  []Input
}

// The record buffer is one []uint64 holding the contributions then the
// inputs: both types are pointer-free and sized in whole words, so the
// allocation is not scanned by the collector and filling it needs no write
// barriers.
const (
	contribWords = unsafe.Sizeof(contribScratch{}) / 8
	inputWords   = unsafe.Sizeof(traceInput{}) / 8
)

// Compile-time checks of the layout the buffer relies on.
var (
	_ = [1]struct{}{}[unsafe.Sizeof(contribScratch{})-contribWords*8]
	_ = [1]struct{}{}[unsafe.Sizeof(traceInput{})-inputWords*8]
	_ = [1]struct{}{}[unsafe.Alignof(contribScratch{})-8]
)

// newTraceBuf returns zeroed record slices of nc contributions and ni
// inputs, in inline (a result's own buffer) when they fit, else in one
// allocation.
func newTraceBuf(inline []uint64, nc, ni int) ([]contribScratch, []traceInput) {
	n := nc*int(contribWords) + ni*int(inputWords)
	if n == 0 {
		return nil, nil
	}
	var buf []uint64
	if n <= len(inline) {
		buf = inline[:n:n]
	} else {
		buf = make([]uint64, n)
	}
	var recs []contribScratch
	var ins []traceInput
	if nc > 0 {
		recs = unsafe.Slice((*contribScratch)(unsafe.Pointer(&buf[0])), nc)
	}
	if ni > 0 {
		ins = unsafe.Slice((*traceInput)(unsafe.Pointer(&buf[nc*int(contribWords)])), ni)
	}
	return recs, ins
}

// buildTrace copies the evaluator's scratch into res's trace; grade is the
// index of the grade (−1 for none), stage0:stage1 the stage rule's inputs.
func (s *evalState) buildTrace(res *Result, grade, stage0, stage1 int) {
	rs := s.rs
	t := &res.tr
	t.rs, t.grade, t.stage0, t.stage1 = rs, int32(grade), int32(stage0), int32(stage1)
	if len(s.contribs)+len(s.inputs) == 0 {
		return
	}
	t.recs, t.ins = newTraceBuf(res.recBuf[:], len(s.contribs), len(s.inputs))
	copy(t.recs, s.contribs)
	nv := int32(0) // the values to keep: each field read once, each score read
	for i, in := range s.inputs {
		slot := in.stage
		switch r := &rs.refs[in.ref]; r.kind {
		case refField:
			if s.slots[r.idx] == 0 {
				nv++
				s.slots[r.idx] = nv
			}
			slot = s.slots[r.idx] - 1
		case refScore:
			slot = nv
			nv++
		}
		t.ins[i] = traceInput{ref: in.ref, slot: slot}
	}
	if nv == 0 {
		return
	}
	if int(nv) <= len(res.valBuf) {
		t.vals = res.valBuf[:nv:nv]
	} else {
		t.vals = make([]Value, nv)
	}
	for i, in := range s.inputs {
		r := &rs.refs[in.ref]
		switch {
		case r.kind == refScore:
			t.vals[t.ins[i].slot] = floatVal(s.scores[r.idx])
		case r.kind == refField && s.slots[r.idx] != 0:
			v := &t.vals[s.slots[r.idx]-1]
			*v = s.vals[r.idx]
			if rs.fields[r.idx].pii {
				*v = rs.mask(*v)
			}
			s.slots[r.idx] = 0
		}
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

// input returns input k of the trace.
func (t *trace) input(k int32) Input {
	in := t.ins[k]
	ref := &t.rs.refs[in.ref]
	out := Input{Field: ref.name}
	switch ref.kind {
	case refField, refScore:
		out.Value = t.vals[in.slot]
	case refGrade:
		out.Value = emptyStrVal
		if t.grade >= 0 {
			out.Value = t.rs.grades[t.grade].val
		}
	case refStage:
		out.Value = stageValue(t.rs, int(in.slot))
	}
	return out
}

// inputs returns inputs k0:k1 of the trace, or nil when there are none.
func (t *trace) inputs(k0, k1 int32) []Input {
	if k1 <= k0 {
		return nil
	}
	out := make([]Input, k1-k0)
	for k := k0; k < k1; k++ {
		out[k-k0] = t.input(k)
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
	n := int32(0)
	for i := range recs {
		n += recs[i].in1 - recs[i].in0
	}
	var all []Input
	if n > 0 {
		all = make([]Input, 0, n)
	}
	for i := range recs {
		c := &recs[i]
		out[i] = t.contribution(c)
		if c.in1 > c.in0 {
			j := len(all)
			for k := c.in0; k < c.in1; k++ {
				all = append(all, t.input(k))
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
	for i := range t.recs {
		if !finite(t.recs[i].points) {
			return false
		}
	}
	for i := range t.vals {
		if !t.vals[i].encodable() {
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
