// Package backtest shows what a change of qualification rules does to real
// leads before it ships: every lead is scored with the old and the new rule
// set, and the Report says how many leads change stage, grade, score,
// segment and routing destination, and — with the leads' known outcomes —
// how the conversion rate and revenue of each stage and score band would
// have looked under each version.
//
// # Usage
//
//	oldRules, err := scoring.LoadFile("rules.yaml")       // the version in production
//	newRules, err := scoring.LoadFile("rules.next.yaml")  // the proposed change
//	f, err := os.Open("leads.jsonl")
//	rep, err := backtest.Run(ctx, oldRules, newRules, f, "leads.jsonl", at,
//		backtest.WithOutcomes("outcome"), backtest.WithBandWidth(10))
//	fmt.Println(rep.Stages.Changed, "leads change stage")
//	fmt.Println(rep.Stages.Count("lead", "mql"), "leads become MQLs")
//
// The command "revengine diff" prints the same report as tables or JSON.
//
// # Input
//
// Run reads JSON lines (one lead object per line; blank lines are skipped
// and not counted) or, when the first byte that is not white space is '[',
// a JSON array of lead objects decoded with encoding/json's Decoder; each
// array element is numbered by the line its first byte is on. RunLeads
// takes leads already decoded. A lead is what scoring.RuleSet.Score accepts
// as a map; the evaluation time is an argument, never the clock.
//
// # Rejected leads
//
// A lead either side rejects — bad JSON, a missing required field, a rule
// that fails, an outcome that is not one — is never dropped silently: it is
// a Rejection with its line and each side's reason, and
// Counts.Read == Compared + RejectedOldOnly + RejectedNewOnly + RejectedBoth.
// Every figure of the report is over the compared leads, those that both
// sides scored, so old and new are measured on the same leads.
//
// # The report
//
//   - Stages: a Matrix of old stage × new stage. Its labels are the union of
//     both files' stages, in file order (the old file's order, with stages
//     only the new file has inserted after the stage that precedes them
//     there), then "disqualified". Changed counts the leads off the
//     diagonal.
//   - Grades: old grade × new grade, grades sorted by name, None ("none")
//     last for a lead without a grade.
//   - Routes: leads per destination, old × new: the route's owner, else its
//     queue, else None when the lead was not routed. Sorted by name, None
//     last. Routing is stateless (the lead id's hash), as in
//     scoring.RuleSet.Score without options.
//   - Scores: per score model of either file (in the same merged file order):
//     count, mean, min, 10th percentile, median, 90th percentile and max of
//     each side (see Distribution for the nearest-rank method); how many
//     leads' scores went up, down or stayed (models in both files); and a
//     histogram by score band. A band of width w (WithBandWidth, default 10)
//     holding score s is [⌊s/w⌋·w, ⌊s/w⌋·w + w); only bands holding a lead
//     on either side are listed, ascending.
//   - Segments: leads per segment, old and new, and how many entered or
//     left it; by segment id.
//   - Outcomes (WithOutcomes): per stage and per score band of one model
//     (WithOutcomeModel; default the first model of the old file that the new
//     file has too): leads, leads with an outcome, won, the conversion rate
//     won / with outcome (absent when no lead has an outcome — never NaN)
//     and the revenue sum. See OutcomeStats for the outcome values.
//
// Every list has a fixed order, and floating-point sums are taken in input
// order with compensation, so the same input gives the same report byte for
// byte whatever the number of Workers.
//
// # Concurrency
//
// Run scores leads on a bounded pool of goroutines and honours ctx between
// leads. The rule sets are only read; a Report is a plain value.
package backtest
