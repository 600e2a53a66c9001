// Package goal sets revenue goals and measures progress against them.
//
// A Target is an amount to reach within a revenue.Period. Target.Split
// spreads it over sub-periods (Period.Months, Period.Quarters or explicit
// ones) by a Split — SplitByDays (calendar days, the default),
// SplitEqual, SplitByWorkingDays (an explicit revenue.Calendar) or
// SplitByWeights (seasonal weights) — into a Plan whose parts reconcile
// to the minor unit (largest remainder).
//
// Plan.Pace and Target.Pace compare dated Actuals with the plan at the end
// of an evaluation day: attainment, expected to date (linear, by the plan,
// or by working days), gap, run-rate projection, the daily rate still
// required and, WithPipeline, the pipeline still needed. NewFunnel turns a
// revenue target into the counts of deals, opportunities, SQLs and MQLs it
// implies, each with its own pacing (Funnel.Pace).
//
// The target file of "revengine pace" is a Spec: Parse, Load and LoadFile
// read it (every problem at once, with file:line:col positions),
// ReadActuals and ScanActuals read the actuals CSV, and Spec.Pace gives the
// Report whose JSON encoding is what "revengine pace --json" prints.
//
// Money is package money's; errors wrap its sentinels. Values are plain
// and safe for concurrent use once built; nothing reads the clock.
package goal
