// Package revenue holds the building blocks of revenue marketing and the
// acquisition KPIs: periods and working-day calendars, prospects moving
// through the funnel, and the calculators of marketing ROI and ROAS, cost
// per lead, CAC and its payback, ARPA, LTV and discounted CLV, the
// marketing share of revenue, the pipeline (average deal size, win rate,
// sales cycle, velocity, coverage), the funnel over any stage list and
// email engagement. Deals, touches, spend and periods are the module's one
// data model, package record (Deal is record.Deal, and so on), read by
// record's readers; package engine joins these calculators with scoring
// and attribution into the revenue-engine view (including marketing-sourced
// and -influenced revenue through attribution's first-touch model).
//
// Its sub-packages take one job each:
//
//   - revenue/mrr: subscriptions, the monthly MRR bridge (new, expansion,
//     contraction, churn, reactivation), retention and churn.
//   - revenue/goal: revenue targets, their split into sub-periods, pacing
//     against dated actuals, goal funnels and the pace target file.
//   - revenue/plan: funnel forecasts, reverse profit plans, seasonality
//     and growth, diversification, price scenarios and promotions.
//
// Money is package money's: integer minor units with an ISO 4217
// currency; mixing currencies is an error.
//
// # Definitions are named
//
// Analysts get these numbers from ChartMogul, Baremetrics, a CRM or a
// spreadsheet, and the numbers disagree because each picks a definition
// without saying so. Here every calculator implements one published
// definition by default, offers the others as explicit options, and returns
// a typed result that names the definition used (its Variant) and the
// formula, with the numerator and denominator it divided:
//
//	cac, err := revenue.CAC(marketing, sales, 40)                          // fully_loaded
//	mkt, err := revenue.CAC(marketing, sales, 40, revenue.CACMarketingOnly) // marketing_only
//	fmt.Println(cac.Variant, cac.Value, cac.Exact)
//
// Options are typed per calculator: a CACVariant is a CACOption and
// nothing else, so revenue.ROI(r, c, revenue.CACMarketingOnly) does not
// compile. WithRounding, WithGrossMargin and WithBaseline are options of
// every calculator that reads them.
//
// Dimensionless results are a Metric (rates are fractions: 0.25, not 25);
// money divided by a count (CAC, ARPA, cost per lead, average deal size,
// LTV) is a MoneyMetric, rounded to minor units with an explicit
// money.Rounding (HalfEven unless WithRounding says otherwise) and carrying
// the exact quotient as well. Results marshal to JSON with stable
// snake_case names; money is {"amount_minor":…,"currency":…}, periods are
// strings such as "2024-Q1".
//
// # Errors, not NaN
//
// Every error wraps one of the module's kinds, re-exported here under the
// names every package uses (see ErrZeroDenominator): a zero denominator
// (no customers, zero churn, no won deals) is ErrZeroDenominator; a
// negative amount or count ErrNegativeAmount; a rate, share or margin
// outside its domain ErrInvalidRate; no data ErrEmptyInput; inputs that
// contradict each other (marketing-sourced revenue above the total, a
// later funnel stage above an earlier one, a deal id given twice)
// ErrInconsistentInput; a result beyond int64 minor units or float64
// ErrOverflow; any other bad argument ErrInvalidInput, which the four
// refined kinds of invalid input also match. Amounts in two currencies give
// a *money.CurrencyMismatchError (ErrCurrencyMismatch); every money input
// of a calculator is checked, used or not. Sums are exact (wider than
// int64): only a result that does not fit is ErrOverflow. No calculator
// returns NaN or ±Inf; a property test over extreme inputs holds every one
// to it.
//
// # Periods
//
// A Period is a half-open range of whole UTC days. ParsePeriod is the one
// period grammar of the module — 2024, 2024-Q1, 2024-03 and
// 2024-01-15..2024-06-30 — and Period.String writes the same forms.
//
// # Reading CSV
//
// The readers of the sub-packages (mrr.ReadEvents, goal.ReadActuals) share
// one shape (deals, touches, stage changes and spend are read by package
// record, whose readers follow the same rules with a required header):
//
//   - Read… takes (ctx, r, name, opts...) and returns every valid record
//     together with an Errors listing every problem at once as
//     "name:line:col: column: message", sorted by position; Scan… yields
//     the records one at a time as an iter.Seq2 of the record or one
//     problem (*Error), without holding the file in memory.
//   - A first row naming a column is the header: columns in any order,
//     names case-insensitive; a missing, repeated or unknown column is an
//     error (ErrSyntax): nothing is ignored silently. Without a header the
//     columns are positional and a row must have exactly their number.
//   - A UTF-8 byte order mark, CRLF line ends, blank lines and quoted
//     fields (with commas, doubled quotes, line breaks) are read as
//     spreadsheets write them; a record longer than MaxRecordBytes (1 MiB by
//     default) is an error matching ErrLineTooLong and the read goes on.
//   - Fields are trimmed. Dates are YYYY-MM-DD (0001-01-01 is rejected);
//     amounts are integers of minor units in the WithCurrency currency
//     (default USD) with an optional leading "+".
//   - Deal ids are unique: a repeated id is an error, never a deal counted
//     twice.
//   - Data problems wrap ErrInvalidInput; ctx's error and read errors are
//     returned alone.
//
// All functions are safe for concurrent use; results are plain values.
// Nothing reads the clock: dates and periods are arguments.
package revenue
