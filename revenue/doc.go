// Package revenue holds exact money and the revenue-marketing KPI
// calculators: marketing ROI and ROAS, cost per lead, CAC and its payback,
// ARPA, LTV and discounted CLV, marketing-sourced and -influenced revenue,
// the pipeline (average deal size, win rate, sales cycle, velocity,
// coverage), the demand-waterfall funnel, email engagement, retention and
// churn, MRR and its monthly movements, funnel forecasts and reverse profit
// plans, and the long-run view of a revenue engine (diversification, growth,
// linear and seasonal forecasts).
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
//	cac, err := revenue.CAC(marketing, sales, 40)            // fully_loaded
//	mkt, err := revenue.CAC(marketing, sales, 40,
//		revenue.WithVariant(revenue.CACMarketingOnly))       // marketing_only
//	fmt.Println(cac.Variant, cac.Value, cac.Exact)
//
// Dimensionless results are a Metric (rates are fractions: 0.25, not 25);
// money divided by a count (CAC, ARPA, cost per lead, average deal size,
// LTV) is a MoneyMetric, rounded to minor units with an explicit Rounding
// (HalfEven unless WithRounding says otherwise) and carrying the exact
// quotient as well. Results marshal to JSON with stable snake_case names.
//
// # Errors, not NaN
//
// A zero denominator is an error wrapping ErrDivisionByZero; a count below
// zero, a churn rate outside (0, 1], a margin outside [0, 1] or an option a
// calculator does not read wraps ErrInvalidInput; amounts in two currencies
// give a *CurrencyMismatchError (ErrCurrencyMismatch). No calculator returns
// NaN or ±Inf. Readers of CSV input (ReadEvents, ReadDeals, ReadLeads,
// ReadSpend) report every bad row at once as ParseErrors, each
// "file:line:column: field: message".
//
// # Money
//
// Money is an integer number of minor units with an ISO 4217 currency;
// arithmetic refuses to mix currencies; scaling and division name their
// rounding; Allocate splits an amount into parts that add back up exactly.
// MRR normalises annual and quarterly plans with Allocate so that twelve
// months of MRR give back the annual amount to the cent.
//
// # MRR movements
//
// MRRBridge turns a subscription event log (customer_id, date, mrr: each
// row sets that customer's MRR from that date on, 0 meaning no paid
// subscription) into the monthly bridge
//
//	starting + new + expansion + reactivation − contraction − churn = ending
//
// under either classification, MethodEvent (each change on its own) or
// MethodNet (each customer's month start against month end), with the
// movements behind every figure for drill-down. The command
// "revengine mrr" prints it.
//
// # Plans and forecasts
//
// ForecastFunnel runs traffic down the funnel keeping fractions (1,000
// visits × 1% × 5% = 0.5 customers); ReverseFunnel and ProfitPlan work a
// revenue goal back to customers, leads, visits, budget and profit, with
// rounding up as an option and several plans side by side. Diversify,
// CMGR, LinearTrend and HoltWinters describe a revenue engine across
// business cycles.
//
// # Goals, pacing and scenarios
//
// A Target is a revenue goal for a Period; Target.Split divides it into
// sub-periods by calendar days (the default), equally, by working days of
// an explicit Calendar, or by seasonal weights, always reconciling to the
// cent (largest remainder). Target.Pace and Goal.Pace compare actuals with
// the plan at an evaluation date: attainment, expected to date, pace gap,
// run-rate projection, the daily rate still required and, with
// PacePipeline, the pipeline still needed. GoalFunnelFor turns a revenue
// goal into the MQL/SQL/opportunity counts it implies, with their own
// pacing. ScenarioBaseline.Compare sets price, volume and cost scenarios
// side by side; BreakEvenVolumeChange gives the volume change a price change
// needs at a gross margin, ΔV/V = −ΔP/(GM + ΔP); Promotion.MRR prices a
// discount over a window for subscriptions.
//
// All functions are safe for concurrent use; results are plain values.
// Nothing reads the clock: dates and periods are arguments.
package revenue
