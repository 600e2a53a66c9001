// Package scoring qualifies and scores leads with versioned rules written in
// YAML, compiled once with github.com/expr-lang/expr and evaluated against
// lead data: fit and engagement scores with negative points, caps and
// decay, grades, lifecycle stages with handoff SLAs, segments and routing,
// and an explanation of every score.
//
// # Compile once, evaluate many
//
//	rs, err := scoring.LoadFile("rules.yaml")       // every problem at once, with positions
//	res, err := rs.Score(ctx, lead, at)             // lead: map from JSON, *Lead or your struct
//
// A *RuleSet is immutable and safe for concurrent use by multiple
// goroutines. Load reports all problems of a file together as Errors, each
// with file:line:col pointing into the YAML — inside the expression string
// too — and a stable Code:
//
//	rules.yaml:14:15: rule "enterprise": unknown field compnay_size (did you mean company_size?)
//
// # The rules file
//
//	version: "2026.11.1"             # required; recorded on every result with the file's sha256
//	name: quickstart
//	fields:                          # the lead schema: string, int, float, bool, time, list
//	  company_size: {type: int, default: 0}
//	  email: {type: string, required: true}
//	event_types: [page_view, demo_request]   # optional: `on:` must name one of them
//	event_fields: {url: string}      # event properties, read as event.url
//	lists:
//	  free_mail: [gmail.com, yahoo.com]      # read as lists.free_mail
//	scores:
//	  fit:
//	    min: 0                       # the model's value is clamped to [min, max]
//	    max: 100
//	    rules:
//	      - id: enterprise           # unique across the file
//	        when: company_size >= 1000
//	        points: 25               # or a numeric expression; may be negative
//	        cap: 30                  # optional: |points| of the rule at most cap
//	  engagement:
//	    rules:
//	      - id: pricing
//	        on: page_view            # scored per matching event
//	        when: event.url contains "/pricing"
//	        points: 5
//	        half_life: 14d           # decay: points × 2^(−age/half_life)
//	        within: 90d              # or/and only events at most this old
//	        cap: 25
//	grades:                          # first match wins; the last may omit when
//	  - {grade: A, when: scores.fit >= 70}
//	  - {grade: F}
//	stages:                          # ordered; the first is where leads start
//	  - id: lead
//	  - id: mql
//	    when: scores.fit >= 50 && scores.engagement >= 30
//	    sla: 24h                     # the handoff SLA, measured from entering the stage
//	disqualify:                      # → stage "disqualified"
//	  - {id: competitor, when: domain in lists.competitors}
//	recycle:                         # the only way back
//	  - {id: cold, when: 'stage == "mql" && scores.engagement < 10', to: lead}
//	segments: [...]                  # see Segments and routing below
//	routing: {...}
//
// Durations are numbers with units w, d, h, m, s ("30d", "36h"); a day is
// exactly 24 hours.
//
// # Names in expressions
//
// Every expression is type-checked at load time against an environment
// built from the schema, so a typo or a type error is a load error, never a
// run-time surprise. Which names a section may read:
//
//   - everywhere: the fields, lists.NAME, at (the evaluation time), events
//     (the lead's past events, for aggregates), days_since(t), scores.NAME
//     and fired("rule-id") (see Scores of scores);
//   - per-event rules also event.type, event.time and event.PROPERTY;
//   - segments: also grade and stage (the lead's current stage);
//   - stages, disqualify, recycle and routes: also segments.
//
// String literals compared with stage, grade or segments, and the id given
// to fired, must name declared values: `stage == "SQL"` for a stage sql is a
// load error with "did you mean sql?", not a rule that never fires.
//
// now() is disabled: rules are deterministic, and the evaluation time is
// the `at` argument of Score. Times use UTC: `at` is converted to UTC, and
// results report it so.
//
// # Event aggregates
//
// `events` holds the lead's events at or before the evaluation time,
// oldest first (ties in input order), each with type, time and the declared
// event_fields; expr's builtins aggregate them:
//
//	count(events, .type == "page_view" && .url contains "/pricing" && .time > at - duration("7d")) >= 3
//	none(events, .time > at - duration("30d"))                  // inactivity: nothing in 30 days
//	sum(filter(events, .type == "purchase"), .amount)
//	max(map(filter(events, .type == "purchase"), .amount))
//	days_since(last(filter(events, .type == "email_click"))?.time) > 14
//
// A window is the comparison the rule writes: `.time > at - duration("7d")`
// excludes an event exactly 7 days old, `>=` includes it. days_since(t) is
// (at − t) in days of 24 hours; for a missing time (nil, ?.time of no
// event) it is +Inf, so "no click in 14 days" holds for a lead that never
// clicked. count, any, all, none, one and sum over events or filter(events,
// …) run on the fast path without allocating.
//
// # Scores of scores
//
// A score rule may read other models (scores.fit) and test whether a rule
// fired (fired("demo-request")); a model may be the sum of others with its
// own min and max — a combined score with a total limit:
//
//	scores:
//	  total: {sum: [fit, engagement], max: 150}
//
// Models are evaluated in dependency order, computed at load (file order
// otherwise); a cycle — a model reading itself, or two reading each other
// — is a load error at the reference. fired() of a rule of the same model
// must name an earlier rule. Grades, stages, segments and routes see every
// model and every rule fired.
//
// # Evaluation
//
// Each lead is first normalised to the schema, once: numbers decoded from
// JSON become int or float as declared (1.5 for an int field is an error),
// times are parsed (RFC 3339 or YYYY-MM-DD), missing optional fields take
// their default (the zero value of their type when none is declared), and
// a missing required field or a value of the wrong type is an *Error
// matching ErrLead, with Kind "lead field" and the field in ID. Reserved
// keys of lead data: "id", "events" (objects with "type", "time" and
// properties), "stage" (the lead's current stage; the first stage when
// absent), "stage_entered_at", and "state" (a previous result's State, the
// same two values in one).
//
// Input is strict by default (Strict): a key the rules do not declare, an
// event type outside event_types (when declared) or an event property
// outside event_fields rejects the lead, naming the key and the nearest
// declared name. Strict(false) ignores them and lists them in
// Result.Ignored; ScoreLines counts them per key.
//
// Durations — half_life, within, sla, and duration("…") inside an
// expression — are written in one grammar, the module's: decimal numbers
// with the units w (7 days), d (24 hours), h, m and s ("30d", "1w2d",
// "1.5h"); they must be positive. A literal passed to duration() is checked
// at load, with its position.
//
// Then, in order: every score model (rules in file order, models in
// dependency order; per-event rules over the lead's events, skipping
// events after the evaluation time; a rule's cap bounds its total after
// decay; the model's sum is clamped to min/max), the grade, the segments,
// the stage, and the route.
//
// The stage moves as follows: if a disqualify rule fires the lead is (or
// stays) disqualified; else if a recycle rule to an earlier stage fires (or
// the lead is disqualified and a recycle rule fires) it moves there; else
// it moves forward to the highest stage whose condition holds, never back.
// A lead given without a stage starts in the first stage and counts as
// having entered it now (StageChanged is true). Stage, disqualify and
// recycle conditions read the lead's stage before this evaluation; route
// conditions read the stage it ends in.
//
// # Stage history and SLAs
//
// Every result says when the lead entered its stage (StageEnteredAt: now if
// it entered now, else its stage_entered_at) and carries State, the one
// value to store and pass back with the next evaluation. When the stage has
// an SLA, SLA reports the deadline and whether the evaluation time is past
// it. When the lead leaves a stage, Left reports the visit: entered, left,
// the deadline and whether the SLA was met. The time it left is the
// evaluation time, unless the stage names a time field that records the
// real handoff (left_at: accepted_at) and the lead has it:
//
//	stages:
//	  - id: mql
//	    when: scores.fit >= 50 && scores.engagement >= 30
//	    sla: 24h
//	    left_at: accepted_at     # a declared time field: when sales accepted
//
// Leaving exactly at the deadline meets the SLA.
//
// # Next change
//
// With WithNextChange(horizon), each result also says when, with no new
// data, it would next change — grade, stage or segments, or its SLA
// breached — and what would change (NextChangeAt, NextChange), so that a
// service sets a timer instead of rescoring every lead daily. It is found
// by evaluating the lead again at the SLA deadline, at every window
// boundary the rules can cross (an event's or time field's time plus each
// duration the rules name, and plus each day count compared with
// days_since) and on a grid for decay, then bisecting to the second; a
// change that appears and vanishes between those times is not seen.
//
// # Lists from files
//
// A list may be read from a file beside the rules — one item per line,
// blank lines and # comments skipped:
//
//	lists:
//	  accounts: {file: accounts.txt}
//
// LoadFile reads it from the rules file's directory, Parse and Load from
// WithFS; paths may not leave it. The files are bounded like the rules
// (MaxSourceBytes each, MaxListItems in all, MaxStringBytes per item) and
// covered by the rule set's hash.
//
// # Accounts and buying groups
//
// An accounts section scores accounts with their leads in the same file:
// account fields, buying-group roles (conditions on a lead), groups with
// the roles a deal needs and their weights, roll-ups over the account's
// leads (sum, max, min, mean, top_mean of a score; counts by stage, grade
// or role), and account scores, grades, stages, segments and routing
// written exactly like the leads', reading the account fields, the
// roll-ups and each group's completeness, engagement, members and missing
// roles as fields:
//
//	accounts:
//	  fields: {industry: string, employees: int}
//	  roles:
//	    - {id: economic_buyer, when: 'seniority in ["vp", "c_level"] && department == "finance"'}
//	  groups:
//	    core: {required: [economic_buyer, champion], weights: {economic_buyer: 3}, engagement: engagement}
//	  rollups:
//	    engagement_total: {sum: engagement}
//	  stages:
//	    - id: target
//	    - id: qualified
//	      when: engagement_total >= 50 && core_completeness >= 0.5
//
// ScoreAccount scores one account and its leads in one call and explains
// it (the leads behind each roll-up, each group's members by role and what
// is missing); ScoreAccountLines reads JSON lines of accounts with their
// leads, ScoreAccountFiles two inputs joined by account id. Leads no route
// of their own routes follow the account's owner.
//
// # Results and explanations
//
// A Result holds every score with its contributions — the rule id (or, for
// a combined score, the model summed), the points after decay and cap, the
// number of events that matched, and the values the rule read (found by
// walking the expression's syntax tree) — the grade, the stage and the
// rule that set it with the values it read, the SLA and stage history, the
// segments, the route, and the rule set's version and content hash. It
// encodes to JSON with stable snake_case names.
//
// Result.Explain (and WriteExplain) renders a result as text for people:
// why the lead is in its stage, each score with every contribution (rule,
// signed points, events matched, decayed, capped, the values read), the
// rule that set the stage, the stage left and its SLA, the route, the next
// change and the rules' version. It depends only on the Result, so it is
// deterministic, but its wording is not a stable format: programs read the
// Result's fields or its JSON.
//
// # Bounds: rules and leads from untrusted users
//
// Services embed this package and let their users edit rules. The
// guarantee: for any rules file and any lead, Parse/Load and Score return
// within a time and memory fixed by Limits, or return an error with a
// position; they never crash the process, hang, or ignore the context.
// How:
//
//   - Before expr's recursive parser sees an expression, one linear pass
//     bounds its length (MaxExprBytes), tokens (MaxTokens) and nesting
//     depth (MaxDepth: brackets and chains of unary operators), so that a
//     megabyte of "((((" is an error, not a stack overflow. Positions,
//     suggestions and caret lines are computed in linear time.
//   - A static cost and memory bound of every expression is computed at
//     load from its type-checked syntax tree and the limits on what it can
//     read — the longest string (MaxStringBytes), the largest list field
//     (MaxLeadListItems), the declared lists as they are, the events of a
//     lead (MaxEvents) — in the manner of cel-go's cost estimator. A file
//     whose worst case costs more than MaxCost steps per lead, or one
//     evaluation of one expression more than MaxCost/100 steps or MaxMemory
//     bytes, is rejected with the rule's position and the estimate
//     (RuleSet.Cost reports the bound of a file that loads).
//   - Lead data is held to the limits the estimate assumed: a longer
//     string, a longer list or more events is an *Error matching ErrLead
//     and ErrLimit that names the field.
//   - Score checks the context as it works — every few thousand estimated
//     steps, inside the loops over events — so a deadline stops it within
//     milliseconds (one expression's evaluation at most).
//   - Integer arithmetic (+, −, ×, unary minus on ints and durations,
//     int() of a float, abs()) is checked on both evaluation paths: a
//     result that does not fit in 64 bits is an ErrEval error naming the
//     rule, never a wrapped value. Points that are NaN or ±Inf, and a score
//     whose sum overflows to ±Inf, are ErrEval errors naming the rule.
//     Durations must be positive and fit in a time.Duration.
//   - A panic inside the package is ErrInternal, never a crash.
//
// The default limits, each settable by its Option (MaxCost, MaxDepth, ...),
// all at once by WithLimits, and by the flag of the same name on the
// command line (--max-cost, --max-depth, ... of check, score, test, diff):
//
//	Limit          Default  Bounds
//	SourceBytes    1 MiB    the rules file
//	Rules          2000     rules, grades, stages, segments and routes
//	Fields         1000     fields, event fields and lists declared
//	ExprBytes      4096     the source of one expression
//	Depth          32       nesting of one expression
//	Tokens         1024     tokens of one expression
//	Nodes          256      syntax-tree nodes of one expression
//	ListItems      10000    items of the rules file's lists together
//	LeadListItems  1000     items of one list field of a lead
//	Events         10000    events on one lead
//	StringBytes    2048     one string of a lead (field, list item, event type or property)
//	Cost           1e8      estimated steps of one lead's evaluation (about a second at most)
//	Memory         16 MiB   estimated bytes one evaluation of one expression allocates
//
// Builtins: every builtin of expr is available except those that grow
// memory faster than a bound checked before they allocate, read the clock
// or the time-zone database, or have no use in a rule: now, repeat,
// reduce, groupBy, toJSON, fromJSON, toBase64, fromBase64, toPairs,
// fromPairs and timezone (date takes at most a layout; times are UTC).
// Available: all, any, none, one, filter, map, find, findIndex, findLast,
// findLastIndex, count, sum, sortBy, len, type, abs, ceil, floor, round,
// int, float, string, trim, trimPrefix, trimSuffix, upper, lower, split,
// splitAfter, replace, join, indexOf, lastIndexOf, hasPrefix, hasSuffix,
// max, min, mean, median, first, last, get, take, keys, values, reverse,
// uniq, concat, flatten, sort, the bit operations, duration and date.
// The bounds of a range a..b must be integer literals.
//
// # Errors
//
// Every error the package returns is, or wraps, the module's one error type
// *Error (survey.Error and attribution.Error are the same type): a file, a
// 1-based line and column, a stable Code, the Kind and ID of its subject
// (rule "enterprise", stage "mql", lead field "email") and a sentinel for
// errors.Is. Messages read "name:line:col: subject: message". A rules file
// with problems returns all of them at once as Errors, sorted by position;
// errors.As finds the list or its first element.
//
// # Speed
//
// Expressions of the common shapes (a field compared with a constant, in
// a list, contains/startsWith/endsWith/matches, arithmetic, boolean
// combinations, ternaries, lower/upper/trim/len, time arithmetic such as
// `at - created_at < duration("720h")` with the duration parsed once at load
// time) are compiled to typed Go
// closures over the normalised lead; everything else runs on expr's VM with
// a reused VM per worker. A differential test runs both paths on random
// leads and requires identical results. Scoring a lead allocates three
// objects: the result, its contributions and the values they read.
//
// # Segments and routing
//
// Segments and routing live in the same rules file as the scores:
//
//	segments:
//	  - id: enterprise-fintech
//	    when: company_size >= 1000 && industry == "fintech"
//	routing:
//	  stages: [mql]                  # stages whose entry routes a lead
//	  owners: [alice, bob, carol]    # every owner a route may name
//	  queues: [sdr-inbound]          # every queue a route may name
//	  routes:                        # ordered, first match wins
//	    - id: enterprise
//	      when: '"enterprise-fintech" in segments'
//	      owners: [alice, bob]
//	      distribution: weighted     # fixed | round_robin | weighted
//	      weights: {alice: 3, bob: 1}
//	    - id: fallback               # the last route has no when
//	      queue: sdr-inbound
//
// Segments are evaluated after the grade, before the stage: they see the
// fields, scores, grade and the lead's current stage, and stage and route
// expressions may test them. Routes are evaluated when the lead enters one
// of the routing stages in this evaluation (the handoff, where the stage's
// SLA starts).
//
// Distributions:
//   - fixed: the first available owner in the listed order.
//   - round_robin: without a Rotation, the available owner at index
//     hash mod n; with a Rotation (WithRotation), strict turns.
//   - weighted: the available owner whose cumulative-weight interval holds
//     hash mod W, where W is the available owners' total weight.
//
// The hash is 64-bit FNV-1a of the route id, a zero byte and the lead id:
// the same lead goes to the same owner across runs, restarts and replicas
// while the available owners are the same. Stateless round_robin and
// weighted routes need a lead id.
//
// Owners can be marked unavailable per evaluation (WithUnavailable,
// WithAvailability); routing skips them, a route whose pool has no one
// available gives way to the next route, and Route.Reason says why. For
// strict turns, WithRotation takes a Rotation (MemoryRotation is an
// in-memory one): with K available owners, N leads give each owner ⌊N/K⌋ or
// ⌈N/K⌉ of them.
//
// # Rules as code
//
// Package scoring/ruletest runs unit tests of rules written in YAML beside
// them (from `revengine test` or a user's own go test), and package
// scoring/backtest scores leads with an old and a new rules file to show
// what a change does before it ships (`revengine diff`). A long-running
// service holds its rules in an Engine, which swaps in a new version
// atomically on reload, keeps serving the old one when the new one does
// not compile, and lets evaluations in flight finish on the version they
// started with.
//
// Engine.Watch polls a rules file and reloads it when its content changes:
// it stats the file each interval and reads and hashes it only when its size
// or modification time moved, acts on a content once two polls read it, and
// keeps the old rule set serving when the new one does not compile — or
// when it declares the version already serving (ErrSameVersion): a version
// names exactly one rule set, so every result stays traceable. Package
// scoring/scorehttp serves an Engine over HTTP (POST JSON leads, get each
// Result with its explanation); it is the one place a clock is read, for a
// request without ?at=.
//
// Decision logs (NewDecisionLog, WithDecisionLog) record every evaluation
// as a JSON line — time, lead, rules, the input with pii fields masked, the
// result — without ever blocking scoring (a full buffer drops and counts,
// unless LogBlocking); scoring/backtest.Replay re-evaluates a log with
// candidate rules, and History rebuilds a lead's scores over time.
//
// # Batches
//
// ScoreLines scores a stream of JSON lines (or one JSON array) with a
// bounded pool of workers, in input order; a bad line becomes a Record with
// its line number and the error, and the batch goes on: Read == Scored +
// Rejected. ScoreSeq is the same as an iterator. Input is read the one way
// the module reads text: a UTF-8 byte order mark is dropped, CRLF ends a
// line, a line is bounded (MaxLineBytes), and data after an array's closing
// ']' is an error.
//
// ScoreCSV scores CSV the same way: the header names declared fields and
// the reserved columns id, stage and stage_entered_at (an unknown column is
// an error with the closest declared name, or ignored and reported with
// Strict(false)); each cell is read by its field's kind — int, float
// (decimal; no NaN or Inf), bool (true/false, 1/0), time (RFC 3339 or
// YYYY-MM-DD), list (items separated by "|") — and an empty cell is
// missing, so the default applies; a bad cell rejects its record at
// name:line:col. WithProgress reports the running counts every N records
// and once at the end, from the goroutine that calls emit.
package scoring
