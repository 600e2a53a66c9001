// Package survey computes employee Net Promoter Scores (eNPS) and pulse
// survey reports with honest statistics and protected anonymity.
//
// # Net Promoter Score
//
// The score follows Bain & Company's definition (Reichheld, "The One
// Number You Need to Grow", Harvard Business Review, 2003): answers on 0–10,
// detractors 0–6, passives 7–8, promoters 9–10, and
//
//	NPS = 100 × (promoters − detractors) / n        passives counted in n
//
// [Standard] is that scale; other scales, such as the 1–10 variant some
// tools use, only come from [NewScale] with explicit cut-offs. Answers out
// of range are errors naming their index, never clamped.
//
// Most tools stop at the score. [NPS] also carries the variance of one
// respondent's trinomial score, 100² · ((p + d) − (p − d)²), and the
// standard error √(Var/n) (Rocks, "Interval Estimation for the 'Net
// Promoter Score'", The American Statistician 70(4), 2016; Sauro & Lewis,
// "Quantifying the User Experience", 2016). From them:
//
//   - [NPS.Interval]: Wald and adjusted-Wald confidence intervals (the
//     latter adds 0.75 promoter, 1.5 passives and 0.75 detractor), each with
//     the variance, standard error and n it was built from, never truncated
//     to [−100, 100];
//   - [Compare]: the two-wave z-test with a two-sided p-value, the
//     confidence interval of the signed difference and a significance
//     decision at the given level;
//   - [SampleSize], [SampleSizeFromShares]: respondents needed for a target
//     margin of error, exact and rounded up, from a variance or from
//     assumed promoter and detractor shares.
//
// # Units
//
// One unit per kind across the package: an NPS, its standard errors, its
// interval bounds, a difference and a margin of error are in NPS points
// (−100…100); a variance is in NPS points²; every share — promoter,
// passive and detractor shares, favourable, neutral and unfavourable, the
// response rate — is a fraction (0…1), and so is a confidence level (0.95).
//
// No calculator returns NaN or Inf: zero respondents is [ErrNoResponses],
// a zero standard error [ErrZeroVariance], and so on; test with errors.Is.
// Each of these is also one of the module's error kinds ([ErrEmptyInput],
// [ErrZeroDenominator], …).
//
// # Pulse surveys
//
// A pulse survey is defined in YAML ([Parse] for bytes, [Load] for a
// stream, [LoadFile] for a file) or Go ([New]): a name, a cadence (weekly,
// monthly, quarterly), optional segment columns and at most ten questions
// of four kinds — enps (0–10), likert (1–5: unfavourable 1–2, neutral 3,
// favourable 4–5), choice (one
// of a list) and text — each optionally optional. Every problem is
// reported at once, as `pulse.yaml:7:11: question "mood": type "slider":
// want enps, likert, choice or text`.
//
// Responses come from CSV ([Survey.ReadResponses], or one at a time
// [Survey.ReadResponsesSeq]) or Go values ([Survey.Check]) and are
// validated against the survey. A response is either accepted or rejected
// with all its problems ("responses.csv:12:7: question "tools": value 7 out
// of range 1–5", the column being the field number); nothing is dropped
// silently and Read = Accepted + Rejected. An empty answer to an optional
// question is a skipped answer, not a zero. The CSV reader is the
// module's one: a byte order mark and "\r\n" are accepted, and every line
// is bounded ([MaxRecordBytes]), so no input can exhaust memory.
//
// [Survey.Report] turns a [Batch] into per-question statistics (answered,
// skipped, distribution, mean, favourable, neutral and unfavourable shares,
// eNPS with both intervals),
// the response rate against an invited count, an eNPS trend over waves with
// the change and its significance between consecutive waves, and an
// optional breakdown by a segment (team, location, tenure band) or by wave.
// A Report has one JSON encoding, with stable snake_case names listed on
// each type ([Report], [QuestionStats], [NPS], [Interval], …).
//
// # Errors
//
// Every problem is an [*Error] (the module's one error type) in an
// [Errors] list, with its file, line, column, a [Code], its subject (Kind
// "question" and the question id, or a column name) and a sentinel for
// errors.Is: [ErrSyntax], [ErrDefinition], [ErrOutOfRange], [ErrType], …
// A panic inside the package is returned as [ErrInternal], never raised.
//
// # Anonymity
//
// A group with fewer distinct respondents than the threshold (default 5,
// option [WithThreshold]) is suppressed in every breakdown and in the trend:
// its counts, statistics and comments. Because the total minus the shown
// groups gives the combined answers of the hidden ones, the hidden groups
// together must also reach the threshold: when the total is shown and they
// hold fewer distinct respondents than that — one small group, or several
// whose union is still small (two groups of 2 at threshold 5) — the
// smallest shown group is suppressed too ([Complementary]), the
// complementary-suppression rule of statistical disclosure control. Two
// small groups that together reach the threshold (3 and 4 at 5) are left
// as they are: only their pooled answers can be recovered. Comments are
// sorted, never in submission order.
//
// # Usage
//
//	s, err := survey.LoadFile("pulse.yaml")             // every problem, positioned
//	b, err := s.ReadResponses(ctx, r, "responses.csv")  // fatal only for header or I/O
//	if err := b.Err(); err != nil { … }                 // the rejected rows
//	rep, err := s.Report(ctx, b, survey.WithBreakdown("team"), survey.WithInvited(40))
//	rep.WriteText(os.Stdout)                            // or json.Marshal(rep): the stable JSON
//
// Surveys and batches are immutable once built and safe for concurrent
// use by multiple goroutines; a Report is a plain result value. Output is deterministic: questions
// in definition order, groups and waves in natural label order ("W9"
// before "W10").
package survey
