// Package calibrate proves a lead-scoring model against outcomes before it
// ships: it scores leads with outcomes (won, lost or open) and reports how
// well each score model ranks them, where the MQL threshold should be, what
// each rule is worth, and which points the data suggest — with intervals,
// and warnings where the data are too thin to say.
//
//	rs, _ := scoring.LoadFile("rules.yaml")
//	rep, err := calibrate.Run(ctx, rs, leads, "leads.jsonl", at,
//		calibrate.WithOutcomes("outcome"), calibrate.WithObjective(calibrate.F1()))
//
// The input is the one of revengine diff --outcomes: JSON lines (or a JSON
// array) of leads, each with an outcome field holding "won", "lost" or
// "open", a boolean, or revenue (won when > 0). Leads are streamed and
// scored by several goroutines; per lead only the score of each model, the
// pattern of rules that fired and the outcome are kept, so a million leads
// take tens of megabytes. The report does not depend on the worker count.
// Only leads with an outcome enter the statistics; open leads are counted.
//
// # What is reported
//
// Per score model: the AUC (Mann–Whitney, ties ½) with its DeLong
// interval (see AUC); leads, won, conversion rate and lift (rate over the
// overall rate) per score band [k·w, (k+1)·w); a calibration table by rank
// group (lead of rank r in group ⌈r·G/N⌉, ties kept together) with the
// observed rate and the regression's mean predicted probability; and the
// threshold "score ≥ t" that maximises the objective — F1, or Capacity: the
// most won leads with at most N MQLs.
//
// For the stage thresholds: leads, won, rate and lift per stage, how the
// MQL stage (WithStage) does as a classifier today, and the AUC of the
// stage order.
//
// Per scoring rule: conversion with and without it firing, with counts
// (the marginal effect, unadjusted), and the suggested points.
//
// # Suggested points
//
// Conversion is regressed on the rule firings, x_j = 1 when rule j gave
// points, by an L2-penalised logistic regression,
//
//	logit P(won) = β_0 + Σ_j β_j·x_j,  maximising ℓ(β) − λ/2·Σ_{j≥1} β_j²,
//
// with λ = 1 by default (WithLambda) and the intercept β_0 not penalised,
// fitted by Newton–Raphson (IRLS) with step halving over the distinct
// firing patterns, deterministic and without any dependency. The Wald
// interval of β_j is β_j ± z·√(H⁻¹)_jj, H the penalised Hessian
// Xᵀ W X + λ·diag(0, 1, …, 1) at the optimum (Hastie, Tibshirani &
// Friedman, The Elements of Statistical Learning, §4.4).
//
// Coefficients become points at a scale s (points per unit of log-odds):
// by default the least-squares fit through the origin of the current
// points on the coefficients, s = Σ c_j·β_j / Σ β_j², which keeps the
// suggestions on the scale of the current points and thresholds; or, with
// WithPointsPerDoubling(pdo), the scorecard convention s = pdo / ln 2.
// Suggested points are s·β_j rounded to a whole point, their interval
// s·(β_j ± z·SE) (the scale taken as fixed). A suggestion whose interval
// holds the current points is not distinguishable from them, and says so.
//
// # Honest statistics
//
// A band, rank group, stage or rule with fewer than WithMinOutcomes (10)
// won or lost leads is marked Few (and bands, stages and rules are listed
// in Report.Warnings); a rule that never fired, or fired for every lead,
// has no coefficient; a population with one class has no AUC, threshold
// or regression. No figure is NaN or infinite.
//
// # Writing the rules
//
// ParseRules reads the node tree of the rules file and WriteRules changes
// the literal points of the rules and the threshold of the MQL stage's
// condition in place — every id, comment and the order stay as written —
// so that the result passes revengine check and test and shows its effect
// in revengine diff.
package calibrate
