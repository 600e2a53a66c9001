// Package plan works revenue plans forwards and backwards and weighs
// their scenarios.
//
//   - ForecastFunnel runs traffic down a funnel keeping fractions (1,000
//     visits × 1% × 5% = 0.5 customers); ReverseFunnel and Profit work a
//     revenue goal back to customers, leads, visits, budget and profit,
//     with count rounding as an option (WithCountRounding) and several
//     plans side by side (Profits).
//   - CMGR, LinearTrend and HoltWinters describe growth and seasonality;
//     Diversify measures how concentrated revenue is across sources.
//   - Baseline.Compare sets price, volume and cost scenarios side by side;
//     BreakEvenVolumeChange gives the volume change a price change needs at
//     a gross margin, ΔV/V = −ΔP/(GM + ΔP); Promotion.MRR prices a
//     subscription discount over a window.
//
// Results name their definitions as in package revenue. Money is package
// money's; errors wrap its sentinels. All functions are safe for
// concurrent use; nothing reads the clock.
package plan
