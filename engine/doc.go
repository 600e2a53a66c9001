// Package engine closes the loop of a revenue engine — marketing and sales
// sharing one funnel, every stage measured, revenue credited to the touches
// that earned it — by joining the module's packages over the one data model
// of package record:
//
//   - scoring results → stage changes (StageChange), including disqualified
//     and recycled leads, with the rules file's own stages (Stages);
//   - stage changes → funnel conversion per stage and cohort
//     (revenue.Conversions over Prospects) and speed-to-lead and SLA
//     compliance per stage, owner and route (Speed);
//   - deals and touches → attribution journeys (Journey, Touchpoint, Touch;
//     lead events through EventTouches), credited by a chosen model;
//   - credits (money) and spend → ROI, ROAS and CAC per channel and
//     campaign, through the one ROI definition of revenue.ROI and its named
//     variants (Return);
//   - deals and touches → marketing-sourced and -influenced pipeline and
//     revenue, with attribution's FirstTouch and Participation run over the
//     touch kinds, not a copy of them (Contribution);
//   - subscription events → the MRR bridge, NRR and GRR (revenue/mrr), and
//     with CAC, LTV:CAC and payback.
//
// A Builder takes records one at a time (or whole files, Read) and folds
// them into per-period aggregates, so that memory does not grow with the
// number of touches; View then computes one PeriodView per month or
// quarter. Time is never read from the clock: periods come from the data
// and the SLA reference time from Config.AsOf or the data.
//
// Builders combine, for running on many machines (the beam module's KPIs
// pipeline): Builder.Merge adds one builder's records to another's, so
// that records split over N builders — each lead's, deal's and customer's
// records in one of them — give, merged in any order, the view of one
// builder that had them all; MarshalBinary and UnmarshalBinary carry a
// builder between processes (its attribution aggregates in their own
// compact encoding, no touches). Every sum a builder keeps is an integer
// (the won deals' sales cycles in seconds and nanoseconds), so the order of
// adds and merges changes no bit of the view.
package engine
