// Package revbeam runs revengine's attribution, batch scoring, funnel
// counts and the revenue-engine KPIs as Apache Beam transforms, so the same pipeline runs on Beam's local
// prism runner in tests and on Dataflow, Flink or Spark in production.
//
// It lives in a module of its own (github.com/revengine/revengine/beam) so
// that users of the core library never download Beam.
//
// # Attribution
//
// Attribution reads touch CSV shards (the format of attribution.TouchReader,
// one header per file), groups the touches of each journey by journey id
// across shards (a journey may be split over files), builds the mergeable
// attribution.Aggregate with a CombineFn whose merge is Aggregate.Merge, and
// runs every requested model on the combined aggregate: the results are those
// of attribution.Run on all of the data in one process. Every bad line and
// every invalid journey is dead-lettered with its position, never dropped.
//
// The accumulator crosses process boundaries in attribution.Aggregate's own
// binary encoding (MarshalBinary): the distinct channel paths with their
// counts and, for the time-decay, W-shaped and full-path models, the exact
// per-channel sums of their journeys' credits — never the journeys — so it
// is as large as the distinct paths. Those sums are integers (64.64 fixed
// point) and every model runs on a canonical view of the aggregate, so the
// results are the single-process ones to the bit, whatever order the runner
// merged shards in.
//
// # Scoring
//
// Score scores lead files (JSON lines or a JSON array, as `revengine score`
// reads them) with a rule set shipped to the workers as bytes with its
// sha256 hash and compiled once per worker; each invalid lead goes to the
// rejects output with its position and reason. Beam counters
// (revengine.score/read, scored, rejected) satisfy read = scored + rejected.
//
// # Funnel
//
// FunnelCounts combines scored leads into stage counts per period (day, ISO
// week or month of the evaluation time, UTC): the leads in each stage and the
// leads that entered it in that evaluation.
//
// # KPIs
//
// KPIs reads shard directories, each holding the files `revengine kpis DIR`
// reads, into one engine.Builder per shard (every problem dead-lettered with
// its position), combines them with a CombineFn whose merge is
// engine.Builder.Merge (the builder's binary encoding as its coder), and
// writes the revenue-engine view as the JSON `revengine kpis --json` prints
// on all the shards together. Counters revengine.kpis/added and rejected:
// added + rejected = the rows read (touches counted with their deal).
package revbeam
