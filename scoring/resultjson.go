package scoring

import (
	"encoding/json"
	"time"
)

// resultJSON is the JSON form of a Result: its exported fields in order,
// with each score's contributions and the stage rule's inputs spelled out.
// encoding/json encodes it independently of AppendJSON (the tests hold the
// two equal), and decodes results written by either.
type resultJSON struct {
	LeadID         string      `json:"lead_id,omitempty"`
	RuleSet        string      `json:"rule_set,omitempty"`
	Version        string      `json:"version"`
	Hash           string      `json:"hash"`
	At             time.Time   `json:"at"`
	Scores         []scoreJSON `json:"scores"`
	Grade          string      `json:"grade,omitempty"`
	Stage          string      `json:"stage,omitempty"`
	PreviousStage  string      `json:"previous_stage,omitempty"`
	StageChanged   bool        `json:"stage_changed"`
	StageRule      string      `json:"stage_rule,omitempty"`
	StageInputs    []Input     `json:"stage_inputs,omitempty"`
	SLA            SLA         `json:"sla,omitzero"`
	StageEnteredAt time.Time   `json:"stage_entered_at,omitzero"`
	Left           *StageVisit `json:"left,omitempty"`
	State          State       `json:"state,omitzero"`
	NextChangeAt   time.Time   `json:"next_change_at,omitzero"`
	NextChange     string      `json:"next_change,omitempty"`
	Segments       []string    `json:"segments,omitempty"`
	Route          Route       `json:"route,omitzero"`
	Roles          []string    `json:"roles,omitempty"`
	Ignored        []string    `json:"ignored,omitempty"`
}

// scoreJSON is the JSON form of a Score.
type scoreJSON struct {
	Name          string         `json:"name"`
	Value         float64        `json:"value"`
	Raw           float64        `json:"raw"`
	Contributions []Contribution `json:"contributions"`
}

func (s *Score) toJSON() scoreJSON {
	return scoreJSON{Name: s.Name, Value: s.Value, Raw: s.Raw, Contributions: s.Contributions()}
}

// toJSON spells r out for encoding/json.
func (r *Result) toJSON() *resultJSON {
	j := &resultJSON{
		LeadID: r.LeadID, RuleSet: r.RuleSet, Version: r.Version, Hash: r.Hash, At: r.At,
		Grade: r.Grade, Stage: r.Stage, PreviousStage: r.PreviousStage, StageChanged: r.StageChanged,
		StageRule: r.StageRule, StageInputs: r.StageInputs(), SLA: r.SLA, StageEnteredAt: r.StageEnteredAt,
		Left: r.Left, State: r.State, NextChangeAt: r.NextChangeAt, NextChange: r.NextChange,
		Segments: r.Segments, Route: r.Route, Roles: r.Roles, Ignored: r.Ignored,
	}
	if r.Scores != nil {
		j.Scores = make([]scoreJSON, len(r.Scores))
		for i := range r.Scores {
			j.Scores[i] = r.Scores[i].toJSON()
		}
	}
	return j
}

// MarshalJSON encodes r with its contributions and stage inputs, as
// AppendJSON does.
func (r Result) MarshalJSON() ([]byte, error) {
	if r.encodable() {
		return r.AppendJSON(nil), nil
	}
	return json.Marshal(r.toJSON()) // reports the float or time it cannot encode
}

// UnmarshalJSON decodes a result encoded by MarshalJSON or AppendJSON. The
// decoded result names its rules and fields; it is not tied to a RuleSet.
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Result{
		LeadID: j.LeadID, RuleSet: j.RuleSet, Version: j.Version, Hash: j.Hash, At: j.At,
		Grade: j.Grade, Stage: j.Stage, PreviousStage: j.PreviousStage, StageChanged: j.StageChanged,
		StageRule: j.StageRule, SLA: j.SLA, StageEnteredAt: j.StageEnteredAt,
		Left: j.Left, State: j.State, NextChangeAt: j.NextChangeAt, NextChange: j.NextChange,
		Segments: j.Segments, Route: j.Route, Roles: j.Roles, Ignored: j.Ignored,
	}
	d := &decodedTrace{stage: j.StageInputs}
	r.tr.dec = d
	if j.Scores != nil {
		r.Scores = make([]Score, len(j.Scores))
		d.scores = make([][]Contribution, len(j.Scores))
		for i, s := range j.Scores {
			r.Scores[i] = Score{Name: s.Name, Value: s.Value, Raw: s.Raw, tr: &r.tr, c0: int32(i)}
			d.scores[i] = s.Contributions
		}
	}
	return nil
}

// MarshalJSON encodes s with its contributions.
func (s Score) MarshalJSON() ([]byte, error) {
	if !finite(s.Value) || !finite(s.Raw) || (s.tr != nil && !s.tr.encodable()) {
		return json.Marshal(s.toJSON())
	}
	return s.appendJSON(make([]byte, 0, 256)), nil
}

// UnmarshalJSON decodes a score encoded by MarshalJSON.
func (s *Score) UnmarshalJSON(b []byte) error {
	var j scoreJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = NewScore(j.Name, j.Value, j.Raw, j.Contributions)
	return nil
}
