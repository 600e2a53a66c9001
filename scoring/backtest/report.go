package backtest

import (
	"encoding/json"
	"strconv"
	"time"
)

// None labels a lead without a grade, a stage or a route in a Matrix.
const None = "none"

// Report is what a rules change does to a set of leads: every figure is
// over the compared leads, those both rule sets scored. It encodes to JSON
// with stable snake_case names; every list has a fixed order.
type Report struct {
	Old RuleSetInfo `json:"old"`
	New RuleSetInfo `json:"new"`
	At  time.Time   `json:"at"` // the evaluation time of both sides

	Counts   Counts      `json:"counts"`
	Rejected []Rejection `json:"rejected"` // by line

	Stages Matrix `json:"stages"` // old stage × new stage
	Grades Matrix `json:"grades"` // old grade × new grade
	Routes Matrix `json:"routes"` // old destination × new destination

	BandWidth float64       `json:"band_width"` // of the score bands
	Scores    []ScoreDiff   `json:"scores"`     // per score model of either rule set
	Segments  []SegmentDiff `json:"segments"`   // per segment, by id
	Outcomes  *Outcomes     `json:"outcomes,omitempty"`
}

// RuleSetInfo identifies one side's rules.
type RuleSetInfo struct {
	File    string `json:"file"`    // the name the rules were loaded under
	Name    string `json:"name"`    // the rules file's name key
	Version string `json:"version"` // its declared version
	Hash    string `json:"hash"`    // "sha256:" + hex of its bytes
}

// Counts counts the leads read. Read == Compared + RejectedOldOnly +
// RejectedNewOnly + RejectedBoth always holds.
type Counts struct {
	Read            int `json:"read"`
	Compared        int `json:"compared"`          // scored by both sides
	RejectedOldOnly int `json:"rejected_old_only"` // rejected by the old rules, scored by the new
	RejectedNewOnly int `json:"rejected_new_only"` // rejected by the new rules, scored by the old
	RejectedBoth    int `json:"rejected_both"`
}

// Rejection is a lead that at least one side rejected, with each side's
// reason. A reason is nil for the side that scored the lead.
type Rejection struct {
	Line int   // 1-based line of the lead (of its first byte, in a JSON array)
	Old  error // why the old rules rejected it
	New  error // why the new rules rejected it
}

// MarshalJSON encodes r as {"line": N, "old": "reason", "new": "reason"},
// omitting the side that scored the lead.
func (r Rejection) MarshalJSON() ([]byte, error) {
	var v struct {
		Line int    `json:"line"`
		Old  string `json:"old,omitempty"`
		New  string `json:"new,omitempty"`
	}
	v.Line = r.Line
	if r.Old != nil {
		v.Old = r.Old.Error()
	}
	if r.New != nil {
		v.New = r.New.Error()
	}
	return json.Marshal(v)
}

// Matrix counts leads by their label under the old rules (rows) and under
// the new (columns). The labels are the same on both axes.
type Matrix struct {
	Labels  []string `json:"labels"`
	Counts  [][]int  `json:"counts"`  // Counts[i][j]: leads labelled Labels[i] by the old rules and Labels[j] by the new
	Changed int      `json:"changed"` // leads off the diagonal
}

// Count returns the number of leads labelled from by the old rules and to
// by the new; 0 for a label not in the matrix.
func (m *Matrix) Count(from, to string) int {
	i, j := m.index(from), m.index(to)
	if i < 0 || j < 0 {
		return 0
	}
	return m.Counts[i][j]
}

// OldTotal returns the number of leads labelled label by the old rules.
func (m *Matrix) OldTotal(label string) int {
	i, n := m.index(label), 0
	if i >= 0 {
		for _, c := range m.Counts[i] {
			n += c
		}
	}
	return n
}

// NewTotal returns the number of leads labelled label by the new rules.
func (m *Matrix) NewTotal(label string) int {
	j, n := m.index(label), 0
	if j >= 0 {
		for i := range m.Counts {
			n += m.Counts[i][j]
		}
	}
	return n
}

func (m *Matrix) index(label string) int {
	for i, l := range m.Labels {
		if l == label {
			return i
		}
	}
	return -1
}

// ScoreDiff is how one score model moves.
type ScoreDiff struct {
	Model string        `json:"model"`
	Old   *Distribution `json:"old"`             // nil when the old rules lack the model or no lead was compared
	New   *Distribution `json:"new"`             // likewise for the new rules
	Moves *Moves        `json:"moves,omitempty"` // nil unless both rule sets have the model
	Bands []Band        `json:"bands"`           // the histogram: bands holding a lead on either side, ascending
}

// Distribution summarises the values of a score model. The percentiles use
// the nearest-rank method: with the n values sorted ascending x₁ ≤ … ≤ xₙ,
// the p-th percentile is x_k with k = ⌈p·n/100⌉ (computed in integers), so
// every percentile is one of the values; the median is the 50th percentile
// (the lower middle value when n is even).
type Distribution struct {
	Count  int     `json:"count"`
	Mean   float64 `json:"mean"`
	Min    float64 `json:"min"`
	P10    float64 `json:"p10"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	Max    float64 `json:"max"`
}

// Moves counts compared leads by how their score changed from old to new.
type Moves struct {
	Up        int `json:"up"`
	Down      int `json:"down"`
	Unchanged int `json:"unchanged"`
}

// Band is one score band [Lo, Hi) of width BandWidth and the leads in it:
// a score s is in the band with Lo = ⌊s/width⌋·width.
type Band struct {
	Lo  float64 `json:"lo"`
	Hi  float64 `json:"hi"`
	Old int     `json:"old"`
	New int     `json:"new"`
}

// String formats the band as "[lo,hi)".
func (b Band) String() string {
	return "[" + formatFloat(b.Lo) + "," + formatFloat(b.Hi) + ")"
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// SegmentDiff counts the leads of one segment.
type SegmentDiff struct {
	Segment string `json:"segment"`
	Old     int    `json:"old"`    // leads in the segment under the old rules
	New     int    `json:"new"`    // under the new
	Gained  int    `json:"gained"` // in it under the new rules only
	Lost    int    `json:"lost"`   // in it under the old rules only
}

// Outcomes is how the leads of each stage and score band converted, under
// the old rules and under the new.
type Outcomes struct {
	Field  string         `json:"field"`           // the lead JSON key holding the outcome
	Model  string         `json:"model,omitempty"` // the score model of the bands; "" when the rule sets share none
	Stages []StageOutcome `json:"stages"`          // every stage of the Stages matrix, in its order
	Bands  []BandOutcome  `json:"bands"`           // the model's bands holding a lead on either side, ascending
}

// StageOutcome is the outcomes of the leads in one stage.
type StageOutcome struct {
	Stage string       `json:"stage"`
	Old   OutcomeStats `json:"old"`
	New   OutcomeStats `json:"new"`
}

// BandOutcome is the outcomes of the leads in one score band [Lo, Hi).
type BandOutcome struct {
	Lo  float64      `json:"lo"`
	Hi  float64      `json:"hi"`
	Old OutcomeStats `json:"old"`
	New OutcomeStats `json:"new"`
}

// String formats the band as "[lo,hi)".
func (b BandOutcome) String() string { return Band{Lo: b.Lo, Hi: b.Hi}.String() }

// OutcomeStats counts the outcomes of a group of leads.
//
// A lead's outcome is read from its outcome field: "won" is won, "lost" is
// lost, "open", null or a missing field is no outcome; true is won, false
// lost; a number is revenue in the field's own units, won when > 0 and lost
// otherwise. Revenue is the sum of the numbers (0 for the other forms).
type OutcomeStats struct {
	Leads       int `json:"leads"`
	WithOutcome int `json:"with_outcome"` // won or lost
	Won         int `json:"won"`
	// ConversionRate is Won / WithOutcome, nil (absent in JSON) when no lead
	// of the group has an outcome.
	ConversionRate *float64 `json:"conversion_rate,omitempty"`
	Revenue        float64  `json:"revenue"`
}
