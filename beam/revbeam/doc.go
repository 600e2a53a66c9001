// Package revbeam runs revengine's attribution, batch scoring and funnel
// counts as Apache Beam transforms, so the same pipeline runs on Beam's local
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
// The accumulator crosses process boundaries in a compact wire form: the
// journeys that did not convert as a count per channel path (all they
// contribute to an aggregate), and the converting journeys in full (the
// time-decay, W-shaped and full-path credits need their touch times); it is
// decoded by replaying that into an Aggregate with Aggregate.Add. When the
// attribution package's Aggregate implements encoding.BinaryMarshaler and
// encoding.BinaryUnmarshaler, that form is used instead.
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
package revbeam
