// Package report renders the revenue-engine view (package engine) as one
// self-contained HTML file: inline CSS and inline SVG charts, no script, no
// font, no image and no stylesheet fetched from anywhere, so that it opens
// offline, prints, and gives the same bytes for the same input.
//
// Write takes an Input — the engine.View, and optionally views of the same
// data under other attribution models, the monthly MRR bridge with its
// movements, a scoring backtest with outcomes and pacing against targets —
// and writes, in order:
//
//   - the engine summary: the headline KPIs of the report's period, each
//     with its definition on hover (a title) and in the footnotes;
//   - the funnel with stage-to-stage and cumulative conversion, and SLA
//     compliance per stage (speed-to-lead);
//   - attribution side by side: credited revenue per channel under each
//     model, with ROI per channel and model (GA4's model comparison);
//   - the MRR bridge as a waterfall per month (starting MRR, new,
//     expansion, reactivation, contraction, churn, ending MRR), with the
//     customer movements behind each bar in a drill-down table (an HTML
//     details element, which needs no script);
//   - the score distribution per score model and the outcome (won) rate per
//     score band, from a backtest with outcomes;
//   - pacing: actual against target, with the expected-to-date mark;
//   - eNPS per wave with its confidence interval; suppressed waves are
//     shown as suppressed, never as a number.
//
// Every chart is an SVG with role="img", a <title> and a <desc> (its text
// alternative), and sits beside a table of the same numbers. The palette
// is Okabe and Ito's colour-blind-safe one ("Color Universal Design",
// 2008), and bars carry their values as text, so no figure is read from
// colour alone.
//
// # Why hand-built SVG
//
// Three ways to draw the charts were weighed (from their documentation
// and output formats; neither library was added to the module to measure):
//
//   - gonum.org/v1/plot with its vg/vgsvg back end draws good static
//     charts, but it brings a large dependency tree (gonum, fonts, image
//     libraries) for a handful of bar charts; its layout follows the
//     metrics of its bundled fonts, which must be embedded in the SVG for
//     the file to look the same everywhere (tens of kilobytes); and its
//     SVG has no role, <title> or <desc>, so each chart would still need
//     wrapping for screen readers;
//   - github.com/go-echarts/go-echarts renders to a page that loads
//     echarts.min.js (about 1 MB) from a CDN; made self-contained by
//     inlining the script, every report carries that megabyte, draws only
//     when JavaScript runs (not in print previews without it, not in
//     mail clients) and its canvas or SVG is built at run time, so the file
//     says nothing testable about the chart;
//   - hand-built SVG from html/template: a few hundred bytes per chart,
//     no dependency, text is text (selectable, readable by assistive
//     technology and by tests), coordinates are formatted by strconv with
//     fixed precision so the same input gives the same bytes, and
//     html/template escapes every label taken from the data.
//
// The charts needed here are bars, stacked/floating bars (the waterfall),
// points with whiskers and a reference line: the hand-built templates were
// the clear choice on size, determinism, accessibility and dependencies.
//
// Nothing reads the clock: the report's date is the view's AsOf.
package report
