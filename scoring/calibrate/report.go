package calibrate

import (
	"encoding/json"
	"time"
)

// Report is what Run finds: per score model the AUC, outcomes by score
// band, a calibration table and the best threshold; outcomes by stage and
// the current stage threshold; each rule's marginal effect and suggested
// points; and the warnings that say where the data are too thin to trust.
// It encodes to JSON with stable snake_case names.
type Report struct {
	File    string    `json:"file,omitempty"` // the rules file
	Version string    `json:"version"`
	Hash    string    `json:"hash"`
	At      time.Time `json:"at"`
	Field   string    `json:"field"` // the outcome field

	// With CapacityPerWeek: the weeks the leads span and the MQLs the
	// threshold may make over them.
	CapacityWeeks float64 `json:"capacity_weeks,omitempty"`
	CapacityMQLs  int     `json:"capacity_mqls,omitempty"`

	Counts   Counts      `json:"counts"`
	Rejected []Rejection `json:"rejected"`

	Models     []ModelReport `json:"models"`
	Stages     *StageReport  `json:"stages,omitempty"`
	Rules      []RuleEffect  `json:"rules"`
	Regression *Regression   `json:"regression,omitempty"`
	Warnings   []Warning     `json:"warnings"`
}

// Counts says what happened to the leads read.
type Counts struct {
	Read     int `json:"read"`
	Rejected int `json:"rejected"`
	Open     int `json:"open"`     // scored, no outcome yet: in no statistic
	Outcomes int `json:"outcomes"` // scored with an outcome: the population of every statistic
	Won      int `json:"won"`      // of Outcomes
	Lost     int `json:"lost"`     // of Outcomes
	Patterns int `json:"patterns"` // distinct combinations of fired rules among Outcomes
}

// Rejection is a lead that could not be scored or whose outcome is not
// one; it is in no statistic.
type Rejection struct {
	Line int   `json:"line"`
	Err  error `json:"-"`
}

// MarshalJSON encodes the rejection with its error message.
func (r Rejection) MarshalJSON() ([]byte, error) {
	msg := ""
	if r.Err != nil {
		msg = r.Err.Error()
	}
	return json.Marshal(struct {
		Line  int    `json:"line"`
		Error string `json:"error"`
	}{r.Line, msg})
}

// ModelReport is the calibration of one score model.
type ModelReport struct {
	Model string `json:"model"`
	// AUC is nil when every lead with an outcome was won, or every one lost.
	AUC         *AUC       `json:"auc"`
	Bands       []Band     `json:"bands"`
	Calibration []Group    `json:"calibration"`
	Best        *Threshold `json:"best,omitempty"` // nil when no threshold meets the objective
	// SuggestedBest is the best threshold of the score the suggested
	// points give (see Run); nil without a regression.
	SuggestedBest *Threshold `json:"suggested_best,omitempty"`
}

// Band is the leads whose score is in [Lo, Hi).
type Band struct {
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Leads int     `json:"leads"`
	Won   int     `json:"won"`
	Rate  float64 `json:"rate"` // Won / Leads
	// Lift is Rate over the overall conversion rate.
	Lift float64 `json:"lift"`
	// Few is true when the band has fewer than the minimum of won or of
	// lost leads (WithMinOutcomes): its rate is not to be trusted.
	Few bool `json:"few"`
}

// Group is one row of the calibration table: the leads of one quantile of
// the score's rank (ties are never split: a group holds every lead of the
// scores it spans), with the observed conversion rate and the rate the
// fitted regression predicts for them.
type Group struct {
	Group     int      `json:"group"`   // 1 = lowest scores
	RankLo    float64  `json:"rank_lo"` // percentile rank range of the group, 0–100
	RankHi    float64  `json:"rank_hi"`
	MinScore  float64  `json:"min_score"`
	MaxScore  float64  `json:"max_score"`
	Leads     int      `json:"leads"`
	Won       int      `json:"won"`
	Observed  float64  `json:"observed"`            // Won / Leads
	Predicted *float64 `json:"predicted,omitempty"` // mean regression probability; nil without a regression
	Few       bool     `json:"few"`
}

// Threshold is a classification "MQL when score ≥ Score" (or, for a
// stage, "MQL when the lead reached the stage") with its confusion counts.
type Threshold struct {
	Score     float64 `json:"score"`
	Objective string  `json:"objective"` // "f1" or "capacity"; "stage" for StageReport.Current
	MQLs      int     `json:"mqls"`      // leads at or above the threshold
	Won       int     `json:"won"`       // of MQLs: true positives
	Precision float64 `json:"precision"` // Won / MQLs
	Recall    float64 `json:"recall"`    // Won / all won
	F1        float64 `json:"f1"`        // 2·Won / (MQLs + all won)
}

// StageReport is the outcomes per lifecycle stage and how the stage named
// by WithStage does as a classifier (reached it or a later stage, versus not).
type StageReport struct {
	Stage   string         `json:"stage"`
	Stages  []StageOutcome `json:"stages"`
	Current *Threshold     `json:"current,omitempty"` // nil when no lead reached Stage; Score is 0
	// AUC of the stage order (disqualified lowest, then the stages in
	// file order) as a score.
	AUC *AUC `json:"auc"`
}

// StageOutcome is the leads whose stage after scoring is Stage.
type StageOutcome struct {
	Stage string  `json:"stage"`
	Leads int     `json:"leads"`
	Won   int     `json:"won"`
	Rate  float64 `json:"rate"`
	Lift  float64 `json:"lift"`
	Few   bool    `json:"few"`
}

// RuleEffect is one scoring rule: conversion with versus without it
// firing, and the points the regression suggests.
type RuleEffect struct {
	Rule  string `json:"rule"`
	Model string `json:"model"`
	// Current is the rule's points: the literal of the rules file when
	// the rules were given (WithRules) and it is a number, else the mean
	// of the points it gave; PointsVary says the points it gave differed
	// from lead to lead (an expression, a cap, decay).
	Current    float64 `json:"current"`
	PointsVary bool    `json:"points_vary"`
	Literal    bool    `json:"literal"` // Current is a literal of the rules file, which WriteRules can change

	Fired        int      `json:"fired"` // leads with an outcome it fired for
	FiredWon     int      `json:"fired_won"`
	NotFired     int      `json:"not_fired"`
	NotFiredWon  int      `json:"not_fired_won"`
	FiredRate    *float64 `json:"fired_rate"`     // FiredWon / Fired; nil when it never fired
	NotFiredRate *float64 `json:"not_fired_rate"` // nil when it always fired
	// Effect is FiredRate − NotFiredRate, the marginal effect of the rule
	// (not adjusted for the other rules; the coefficient is); nil when
	// either rate is.
	Effect *float64 `json:"effect"`
	// Few: fewer than the minimum of won or of lost leads among those it
	// fired for.
	Few bool `json:"few"`

	// Estimable is false for a rule that never fired or fired for every
	// lead with an outcome: it has no coefficient, and the suggestion is
	// the current points.
	Estimable bool `json:"estimable"`
	// The regression's log-odds coefficient, its standard error and
	// interval; then the same in points (× Regression.Scale), the
	// suggestion rounded to a whole point.
	Coefficient float64 `json:"coefficient"`
	SE          float64 `json:"se"`
	CoefLo      float64 `json:"coef_lo"`
	CoefHi      float64 `json:"coef_hi"`
	Suggested   float64 `json:"suggested"`
	SuggestedLo float64 `json:"suggested_lo"`
	SuggestedHi float64 `json:"suggested_hi"`
	// Distinguishable is true when Current lies outside
	// [SuggestedLo, SuggestedHi]: the data say the points should change.
	Distinguishable bool `json:"distinguishable"`
}

// Regression describes the fitted L2-penalised logistic regression of
// conversion on the rule firings.
type Regression struct {
	Lambda      float64 `json:"lambda"`
	Intercept   float64 `json:"intercept"` // not penalised
	InterceptSE float64 `json:"intercept_se"`
	Iterations  int     `json:"iterations"`
	Converged   bool    `json:"converged"`
	LogLik      float64 `json:"log_likelihood"` // unpenalised, at the estimate
	Confidence  float64 `json:"confidence"`
	// Scale is the points per unit of log-odds; ScaleMethod says how it
	// was chosen: "fit" (least squares of the current points on the
	// coefficients through the origin) or "pdo" (points per doubling of
	// the odds, WithPointsPerDoubling: Scale = PDO / ln 2).
	Scale       float64 `json:"scale"`
	ScaleMethod string  `json:"scale_method"`
}

// Warning is a finding about the data's strength, for people. Code is
// stable; Msg is not.
type Warning struct {
	Code    string `json:"code"`
	Subject string `json:"subject,omitempty"` // the model, band, stage or rule
	Msg     string `json:"msg"`
}

// Warning codes.
const (
	WarnFewOutcomes       = "few_outcomes"      // the population has fewer than the minimum of won or lost leads
	WarnFewBand           = "few_band"          // a band or calibration group is thin
	WarnFewStage          = "few_stage"         // a stage is thin
	WarnFewRule           = "few_rule"          // a rule fired for few won or lost leads
	WarnOneClass          = "one_class"         // every lead won, or every one lost: no AUC, no regression
	WarnNoThreshold       = "no_threshold"      // no threshold meets the objective
	WarnNotConverged      = "not_converged"     // the regression stopped before converging
	WarnIndistinguishable = "indistinguishable" // a suggestion is within its interval of the current points
	WarnNotEstimable      = "not_estimable"     // a rule never fired, or always: no coefficient
	WarnScale             = "scale"             // the fitted points scale was not positive: PDO 20 used
)
