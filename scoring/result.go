package scoring

import (
	"slices"
	"time"
)

// Result is the outcome of scoring one lead: every score with the rules
// that made it, the grade, the lifecycle stage and the rule that set it,
// and the rule set's version and content hash for audit. It encodes to JSON
// with stable snake_case field names.
//
// A Result shares, rather than copies, the strings and lists of the lead
// data it was scored from (the values its explanation shows): change a
// list of a lead map after scoring, and the explanation of its result
// shows the change.
type Result struct {
	LeadID  string    `json:"lead_id,omitempty"`
	RuleSet string    `json:"rule_set,omitempty"` // the rules file's name
	Version string    `json:"version"`            // the rules file's version
	Hash    string    `json:"hash"`               // "sha256:" + hex of the rules file
	At      time.Time `json:"at"`                 // the evaluation time

	Scores []Score `json:"scores"`
	Grade  string  `json:"grade,omitempty"`

	Stage         string `json:"stage,omitempty"`
	PreviousStage string `json:"previous_stage,omitempty"` // the lead's stage before this evaluation
	StageChanged  bool   `json:"stage_changed"`
	StageRule     string `json:"stage_rule,omitempty"` // the stage, disqualify or recycle rule that set Stage (its inputs: StageInputs); empty when unchanged
	SLA           SLA    `json:"sla,omitzero"`         // the handoff SLA of Stage, when it has one and the entry time is known
	// StageEnteredAt is when the lead entered Stage: the evaluation time
	// when it entered now, else the stage_entered_at it came with (zero
	// only when that is unknown).
	StageEnteredAt time.Time `json:"stage_entered_at,omitzero"`
	// Left is the stage the lead left in this evaluation, with whether that
	// stage's SLA was met; nil when the stage did not change.
	Left *StageVisit `json:"left,omitempty"`
	// State is what to store and pass back with the lead's next
	// evaluation (as the lead's "state", or Stage and StageEnteredAt of a
	// Lead): the stage and when it was entered.
	State State `json:"state,omitzero"`
	// NextChangeAt is when, with no new data, the result would next change
	// (grade, stage, segments, or the SLA breached), to the second, and
	// NextChange what would change ("stage mql → lead; grade B → C").
	// Computed only with WithNextChange; zero when nothing changes within
	// its horizon.
	NextChangeAt time.Time `json:"next_change_at,omitzero"`
	NextChange   string    `json:"next_change,omitempty"`

	Segments []string `json:"segments,omitempty"` // every segment whose rule matched, in file order
	Route    Route    `json:"route,omitzero"`     // the routing decision, for a stage that routes
	Roles    []string `json:"roles,omitempty"`    // the buying-group roles the lead holds (accounts: roles), in file order

	// Ignored lists, in relaxed mode (Strict(false)), what the lead data
	// held that the rules do not declare: unknown keys ("employees"),
	// event properties ("events[].urll") and event types ("event type
	// pageview"). Strict mode rejects such a lead instead.
	Ignored []string `json:"ignored,omitempty"`

	tr       trace    // the contributions and inputs, compact (trace.go)
	scoreBuf [2]Score // holds Scores for up to two models without another allocation
	// The trace of a lead that fired up to about a dozen rules fits in the
	// result itself: one allocation per result, not three. The sizes keep
	// Result within the 1280-byte size class with the allocator's 8-byte
	// header (a test checks).
	recBuf [11]contribScratch // contributions
	valBuf [13]Value          // values the rules read
}

// StageInputs returns the lead values the rule that set Stage read (JSON
// key "stage_inputs"), or nil when no rule set it or it read none. Each
// call builds a new slice.
func (r *Result) StageInputs() []Input {
	if d := r.tr.dec; d != nil {
		return slices.Clone(d.stage)
	}
	return r.tr.inputs(r.tr.stageReadsOf())
}

// Score returns the value of the named score model.
func (r *Result) Score(name string) (float64, bool) {
	for i := range r.Scores {
		if r.Scores[i].Name == name {
			return r.Scores[i].Value, true
		}
	}
	return 0, false
}

// Fired reports whether the rule with the given id contributed points or
// set the stage.
func (r *Result) Fired(rule string) bool {
	return r.StageRule == rule || r.contributed(rule)
}

// contributed reports whether the score rule with the given id gave points.
func (r *Result) contributed(rule string) bool {
	for i := range r.Scores {
		if t := r.Scores[i].tr; t != nil && t != &r.tr && t.contributed(rule) {
			return true // a score moved here from another result
		}
	}
	return r.tr.contributed(rule)
}

// Score is one score model's value and the rules that made it
// (Contributions). It encodes to JSON as {"name", "value", "raw",
// "contributions"}.
type Score struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"` // Raw clamped to the model's min and max
	Raw   float64 `json:"raw"`   // the sum of the contributions

	tr     *trace // the trace of the result that holds the contributions; nil for a Score made by hand
	c0, c1 int32  // the contributions in tr.recs; for a decoded trace, c0 is the score's index
}

// NewScore returns a score with the given contributions, for a result
// built by hand (a test of code that reads results, a result from another
// system). Scoring builds its scores itself.
func NewScore(name string, value, raw float64, contributions []Contribution) Score {
	return Score{Name: name, Value: value, Raw: raw, tr: &trace{dec: &decodedTrace{scores: [][]Contribution{contributions}}}}
}

// Contributions returns the rules that gave the score points (and, for a
// combined model, the models it sums), in evaluation order, each with the
// lead values it read. A scored lead's result keeps them compact; each call
// builds a new slice for the caller to keep or modify. It is empty, not
// nil, for a score no rule contributed to, and nil for a Score made by
// hand.
func (s Score) Contributions() []Contribution {
	if s.tr == nil {
		return nil
	}
	return s.tr.contributions(s.c0, s.c1)
}

// Contribution is one rule that fired and the points it gave.
type Contribution struct {
	Rule string `json:"rule,omitempty"`
	// Score is, for a combined model (sum:), the model this part is;
	// Rule is then empty.
	Score  string  `json:"score,omitempty"`
	Points float64 `json:"points"`           // after decay and the rule's cap
	Capped bool    `json:"capped,omitempty"` // the rule's cap cut the points
	// Decayed is true for a rule with a half_life: Points are after decay.
	Decayed bool    `json:"decayed,omitempty"`
	Events  int     `json:"events,omitempty"` // for event rules: how many events matched
	Inputs  []Input `json:"inputs,omitempty"` // the lead field values the rule read
}

// Input is a lead field value an expression read.
type Input struct {
	Field string `json:"field"`
	Value Value  `json:"value"`
}

// SLA is the handoff service-level agreement of a stage: a lead must leave
// the stage (typically: be accepted by sales) within Within of entering it.
type SLA struct {
	Within    string    `json:"within"`     // the stage's SLA, e.g. "24h"
	EnteredAt time.Time `json:"entered_at"` // the evaluation time when the stage changed now, else the lead's stage_entered_at
	Deadline  time.Time `json:"deadline"`   // EnteredAt + Within
	Breached  bool      `json:"breached"`   // the evaluation time is after Deadline
}

// StageVisit is a stage a lead has left: when it entered and left, and,
// for a stage with an SLA, the deadline and whether the lead left in time.
// LeftAt is the stage's left_at field when the rules name one and the lead
// has it (the real acceptance time), else the evaluation that moved it.
type StageVisit struct {
	Stage     string    `json:"stage"`
	EnteredAt time.Time `json:"entered_at,omitzero"` // zero when the lead came without stage_entered_at
	LeftAt    time.Time `json:"left_at"`
	Within    string    `json:"within,omitempty"`  // the stage's SLA as written
	Deadline  time.Time `json:"deadline,omitzero"` // EnteredAt + Within
	SLA       string    `json:"sla,omitempty"`     // "met", "breached", or "" when the stage has no SLA or EnteredAt is unknown
}

// State is a lead's lifecycle position between evaluations: one value a
// service stores with the lead and passes back (JSON key "state" of lead
// data, or Lead.Stage and Lead.StageEnteredAt).
type State struct {
	Stage     string    `json:"stage"`
	EnteredAt time.Time `json:"entered_at,omitzero"`
}

// SLA values of StageVisit.SLA.
const (
	SLAMet      = "met"
	SLABreached = "breached"
)

// Route is where a lead goes: a queue or an owner, chosen by a route.
type Route struct {
	ID     string `json:"id"`               // the route that matched
	Queue  string `json:"queue,omitempty"`  // the destination queue, for queue routes
	Owner  string `json:"owner,omitempty"`  // the chosen owner, for pool routes
	Reason string `json:"reason,omitempty"` // how the owner was chosen, or why routes were skipped
}
