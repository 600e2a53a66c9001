// Package mrr computes monthly recurring revenue and its movements:
// subscriptions normalised to monthly MRR as a billing system defines it
// (Measure: quantity × unit price, intervals normalised exactly, forever
// coupons applied, metered usage, one-time charges and tax excluded, only
// active and past_due subscriptions counted, ARR = 12 × MRR), the split of
// one billing term over its months (MonthlySchedule), the monthly MRR
// bridge of a subscription event log (NewBridge), and the retention and
// churn rates read from it (NRR, GRR, Churn, ExpansionRate,
// ExpansionGrowth, QuickRatio, Retention of a starting cohort,
// CustomerRetention, CustomerChurn).
//
// An event log (ReadEvents, ScanEvents: CSV customer_id, date, mrr) sets
// each customer's MRR from a date on, 0 meaning no paid subscription.
// NewBridge turns it into the monthly bridge
//
//	starting + new + expansion + reactivation − contraction − churn = ending
//
// under either classification, MethodEvent (each change on its own) or
// MethodNet (each customer's month start against month end), with the
// movements behind every figure for drill-down. The command "revengine mrr"
// prints it; its --json output is the JSON encoding of Bridge.
//
// Results are revenue.Metric values naming their definition; options are
// typed per calculator (a ChurnVariant is an option of Churn only). Money is
// package money's; errors wrap the module's error kinds, re-exported here
// (ErrZeroDenominator, ErrCurrencyMismatch, …). No calculator returns NaN
// or ±Inf. All functions are safe for concurrent use; nothing reads the
// clock.
package mrr
