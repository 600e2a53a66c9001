// Package attribution credits conversions and revenue to the marketing
// channels of the journeys that earned them: every standard rule-based
// model, plus exact data-driven Markov and Shapley models.
//
// # Data
//
// A [Journey] is one buyer's [Touchpoint]s (channel, time, optional campaign,
// the B2B milestones lead created and opportunity created) and its outcome:
// converted or not, the value as [money.Money], the conversion time.
// Two CSV formats are read, through the module's one CSV reader (a UTF-8
// byte order mark dropped, CRLF or LF, quoted fields that may span lines,
// every record bounded by [MaxRecordBytes]):
//
//   - the touch format, one row per touchpoint, read by [ReadTouches] (rows
//     in any order by default, sorted by journey and time in a bounded
//     memory budget — [WithSortMemory] — spilling sorted runs to temporary
//     files beyond it; [WithRowOrder]([Grouped]) is the strict, streaming
//     mode) or, journey by journey from grouped input, by a [TouchReader];
//   - the same columns in a Parquet file, read by [ReadTouchesParquet] with
//     the same checks (errors name the row, its row group and its row
//     within the group);
//   - the path-aggregated format of ChannelAttribution and DP6
//     (path,total_conversions,total_conversion_value,total_null), read by
//     [ReadPaths].
//
// Every bad line is an [*Error] (the module's one error type) reading
// "name:line:col: column: message": a non-integer value, journey-level
// columns that disagree between rows, a touch after its conversion, a
// currency other than the input's, and in the Grouped mode ungrouped
// journey ids and touches out of time order. [ReadTouches] reports
// all of them in one pass ([Errors]); errors.Is matches [ErrSyntax],
// [ErrInvalidJourney], [ErrLineTooLong] or [money.ErrCurrencyMismatch], and
// a panic inside the package is [ErrInternal], never a crash. Nothing is dropped
// silently: journeys without touches (and converting journeys with no touch
// inside a lookback window) are counted as unattributed, and
// [Aggregate.Totals] = credited + [Aggregate.Unattributed].
//
// Channel names can be normalised as they are read ([ChannelRules],
// [NewChannelMap], [WithChannelMap]: trim, case-fold, a from→to table);
// the result lists the renames ([Result.Renamed]) and warns about names
// that differ only in case or white space ([Warning]).
//
// # Aggregate
//
// Models never see raw journeys. They run from an [Aggregate]: the distinct
// channel paths with their journey, conversion and value counts, plus
// per-channel accumulators for the three models that need touch times or
// milestones (time decay, W-shaped, full-path), computed journey by journey
// as the data streams in. Aggregates of two shards [Aggregate.Merge] into
// the aggregate of all of the data, so the same code can run on a
// distributed engine. A model runs on the aggregate's canonical form
// (channels in name order, paths sorted, journey-level credit summed in
// fixed point), so the same journeys give the same bytes whatever order
// their rows, their journeys or their shards came in. The time-decay half-life, the lookback window and the
// currency are therefore options of the aggregate ([WithHalfLife],
// [WithLookback], [WithCurrency]), not of the model. An aggregate, and
// every input, has one currency: mixing currencies is an error. An aggregate built from paths has no times: the time-based
// models refuse it with [ErrNeedsTimes].
//
// # Models
//
// A [Model] is an immutable value, built by its constructor or by name
// ([ModelByName], [Models]); [Run] applies it to an aggregate and returns a
// [Result] with each channel's credited conversions, credited value and
// share. Each converting journey's credit sums to one conversion and to its
// value, except for [Participation]. Credit is fractional: a channel's
// [ChannelCredit.ValueMinor] keeps it unrounded, and its
// [ChannelCredit.Value] is money, the total allocated by largest
// remainders so that the channels add up to [Result.TotalValue] to the
// minor unit. A Result has one JSON encoding (snake_case names, money as
// {"amount_minor":…,"currency":…}), which the CLI prints.
//
//   - Rules: [FirstTouch], [LastTouch], [LastNonDirect], [Linear],
//     [PositionBased] with the presets [UShaped] (40/20/40), [JShaped]
//     (20/20/60) and [InverseJ] (60/20/20), [TimeDecay], [WShaped],
//     [FullPath], [Participation].
//   - [Markov]: the order-k chain's removal effects, solved exactly as a
//     sparse linear system (no simulation, so the same answer on every run),
//     with the transition matrix and removal effects in [MarkovDetails] and
//     two named value rules, [RemovalValue] (default) and [ShareValue].
//   - [Shapley]: worth = conversions of the journeys whose channel set is a
//     subset of the coalition, exact for any number of channels through its
//     Harsanyi dividends; [ShapleyLocalRate]: worth = conversion rate of the
//     journeys with exactly that set, each converting set's credit split by
//     the Shapley values of the game on its subsets: exact up to 64
//     channels, and beyond that for sets of up to 12 channels, a seeded
//     sampling estimate for larger sets (or on request, [WithSampling]).
//
// The package computes credit, not returns: spend is record.Spend (read by
// record.ReadSpend), and a result's returns on it (cost, ROI through the
// module's one definition revenue.ROI, ROAS, cost per credited conversion)
// are engine.Returns, with engine.SpendWarnings for the channels with spend
// and no journeys or journeys and no spend (warning codes
// [WarnSpendWithoutJourneys] and [WarnJourneysWithoutSpend]).
// Credits never contain NaN or infinities; zero denominators are errors
// ([ErrNoConversions]) or absent values.
//
// # Trust and choice
//
//   - [Bootstrap]: seeded, parallel percentile confidence intervals of every
//     model's channel credits, resampling journeys on the path aggregate
//     ([ChannelCredit.CI], [Result.Bootstrap]).
//   - [ChooseOrder]: cross-validated predictive performance of Markov
//     orders 1..k, with ChannelAttribution's penalised AUC as evidence, and
//     a recommended order ([OrderSelection]).
//   - [Compare]: the model-disagreement report — channels whose share
//     differs most across models, Spearman rank correlation of every pair.
//   - [WithPrivacyThreshold]: data-driven models drop (as Ads Data Hub) or
//     pool (as Amazon Marketing Cloud) the journeys of paths or channel
//     sets with fewer than N journeys, counted in [Result.Privacy].
//   - [ReadLiftTests] and [Calibrate]: attributed against experimentally
//     measured incremental conversions, and a [Calibration] that rescales
//     tested channels by the ratio, labelled as calibrated.
//
// # Usage
//
//	agg, err := attribution.ReadTouches(ctx, f, "journeys.csv",
//		attribution.WithHalfLife(7*24*time.Hour), attribution.WithLookback(90*24*time.Hour),
//		attribution.WithCurrency("EUR"))
//	if err != nil {
//		return err // e.g. journeys.csv:42:2: timestamp: ... is before the journey's previous touch
//	}
//	m, err := attribution.ModelByName("markov", attribution.WithOrder(2))
//	if err != nil {
//		return err
//	}
//	res, err := attribution.Run(ctx, agg, m)
//	if err != nil {
//		return err
//	}
//	for _, c := range res.Channels {
//		fmt.Println(c.Channel, c.Conversions, c.Value, c.RemovalEffect) // c.Value is e.g. EUR 1234.56
//	}
//
// Building an aggregate is not safe for concurrent use; a built aggregate
// may be read by any number of goroutines running models.
package attribution
