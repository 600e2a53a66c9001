package survey

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/revengine/revengine/internal/diag"
)

// Errors of Report's options and inputs. Test with errors.Is.
var (
	// ErrInvited reports an invited count that is zero, negative or smaller
	// than the number of responses; the response rate is then undefined.
	ErrInvited = kind("survey: invalid invited count", ErrInconsistentInput)
	// ErrThreshold reports an anonymity threshold below MinThreshold or
	// below the survey's pinned minimum group size. It matches
	// ErrInvalidInput.
	ErrThreshold = kind("survey: anonymity threshold too low", ErrInvalidInput)
	// ErrUnknownColumn reports a breakdown by a column that is neither a
	// segment of the survey nor "wave".
	ErrUnknownColumn = errors.New("survey: unknown breakdown column")
	// ErrUnknownWave reports a wave filter naming a wave with no responses.
	ErrUnknownWave = errors.New("survey: no responses in wave")
)

// DefaultThreshold is the anonymity threshold of a survey that pins no
// minimum group size: groups of fewer respondents are suppressed.
const DefaultThreshold = 5

// DefaultLevel is the default confidence level of the eNPS intervals.
const DefaultLevel = 0.95

// A ReportOption changes how Report works.
type ReportOption func(*config)

type config struct {
	threshold    int
	hasThreshold bool
	level        float64
	by           string
	wave         string
	hasWave      bool
	invited      int
	hasInvited   bool
}

// WithThreshold raises the anonymity threshold: a group with fewer
// distinct respondents is suppressed. The threshold is otherwise the
// survey's pinned minimum group size (Survey.MinGroupSize), or
// DefaultThreshold when it pins none. It can raise that minimum, never
// lower it: n below the pinned minimum, or below MinThreshold (3), is
// ErrThreshold.
func WithThreshold(n int) ReportOption {
	return func(c *config) { c.threshold, c.hasThreshold = n, true }
}

// WithLevel sets the confidence level of the eNPS intervals and trend tests
// (default DefaultLevel). Outside (0, 1) is ErrLevel.
func WithLevel(level float64) ReportOption { return func(c *config) { c.level = level } }

// WithBreakdown breaks the report down by a segment column, or by "wave".
// A column that is neither is ErrUnknownColumn.
func WithBreakdown(column string) ReportOption { return func(c *config) { c.by = column } }

// WithWave restricts the per-question statistics and the breakdown to one
// wave; trends always cover every wave. A wave with no responses is
// ErrUnknownWave.
func WithWave(label string) ReportOption {
	return func(c *config) { c.wave, c.hasWave = label, true }
}

// WithInvited gives the number of people invited, for the response rate.
// When the report covers several waves, count every invitation of every
// wave. Zero or fewer, or fewer than the responses, is ErrInvited.
func WithInvited(n int) ReportOption {
	return func(c *config) { c.invited, c.hasInvited = n, true }
}

// Suppression says why a group's numbers are hidden. In JSON it is its
// string value: "below-threshold" or "complementary".
type Suppression string

// Reasons for suppression.
const (
	// BelowThreshold: the group has fewer respondents than the threshold.
	BelowThreshold Suppression = "below-threshold"
	// Complementary: the group is large enough on its own but is hidden
	// because the below-threshold groups together hold fewer respondents
	// than the threshold, and subtracting the shown groups from the total
	// would reveal their combined answers.
	Complementary Suppression = "complementary"
)

// A Report is a pulse-survey report. Numbers of suppressed groups are zero
// or absent; Suppressed says which.
//
// Report owns its JSON encoding (json.Marshal of a *Report; the CLI's
// --json prints exactly that). The names are stable: survey, cadence, wave
// (with WithWave), threshold, min_group_size (when pinned), level, read,
// accepted, rejected, responses, respondents, waves (the pooled waves),
// repeat_respondents, invited and response_rate (with WithInvited; the
// rate as a fraction, 0.879 for 87.9%), suppressed, questions ([QuestionStats]),
// trends ([Trend]) and breakdown ([Breakdown]). Fields that do not apply
// are left out. Every number is finite.
type Report struct {
	Survey      string  `json:"survey"`
	Cadence     Cadence `json:"cadence"`
	Wave        string  `json:"wave,omitempty"` // set by WithWave
	Threshold   int     `json:"threshold"`
	Level       float64 `json:"level"`
	Read        int     `json:"read"`        // responses read
	Accepted    int     `json:"accepted"`    // responses accepted (all waves)
	Rejected    int     `json:"rejected"`    // Read − Accepted
	Responses   int     `json:"responses"`   // accepted responses in scope (one wave with WithWave)
	Respondents int     `json:"respondents"` // distinct respondent ids among Responses
	// MinGroupSize is the minimum the survey definition pins (0: none);
	// Threshold is at least it.
	MinGroupSize int `json:"min_group_size,omitempty"`
	// Waves are the waves whose responses the statistics pool, in natural
	// order (one with WithWave).
	Waves []string `json:"waves"`
	// RepeatRespondents counts the respondents who answered more than one
	// of the pooled Waves: their answers are not independent, so the
	// intervals of pooled statistics, which treat every response as
	// independent, are too narrow when it is above zero.
	RepeatRespondents int             `json:"repeat_respondents"`
	Invited           int             `json:"invited,omitempty"`
	ResponseRate      *float64        `json:"response_rate,omitempty"` // Responses / Invited
	Suppressed        Suppression     `json:"suppressed,omitempty"`    // the whole report is below threshold
	Questions         []QuestionStats `json:"questions,omitempty"`
	Trends            []Trend         `json:"trends,omitempty"`
	Breakdown         *Breakdown      `json:"breakdown,omitempty"`
}

// QuestionStats are the statistics of one question in one group.
//
// JSON names (stable): id, type, answered, skipped, distribution
// ([Bucket]s), mean, favourable, neutral and unfavourable (fractions, 0–1),
// enps ([NPS]), wald and adjusted_wald ([Interval]s) and comments; those
// that do not apply to the question's type, or have no answers, are left
// out.
type QuestionStats struct {
	ID       string `json:"id"`
	Kind     Kind   `json:"type"`
	Answered int    `json:"answered"`
	Skipped  int    `json:"skipped"` // responses without an answer
	// Distribution counts each possible answer (0–10, 1–5, or the options
	// in definition order); nil for text questions.
	Distribution []Bucket `json:"distribution,omitempty"`
	// Mean of the answers, for enps and likert; nil when none.
	Mean *float64 `json:"mean,omitempty"`
	// Favourable, Neutral and Unfavourable are the shares (fractions) of
	// the answers of a 5-point likert question that are 4–5, 3 and 1–2;
	// they add up to 1.
	Favourable   *float64 `json:"favourable,omitempty"`
	Neutral      *float64 `json:"neutral,omitempty"`
	Unfavourable *float64 `json:"unfavourable,omitempty"`
	// NPS and its intervals at the report's level, for enps.
	NPS          *NPS      `json:"enps,omitempty"`
	Wald         *Interval `json:"wald,omitempty"`
	AdjustedWald *Interval `json:"adjusted_wald,omitempty"`
	// Comments are the text answers sorted in byte order (never in
	// submission order, which could identify people).
	Comments []string `json:"comments,omitempty"`
}

// A Bucket is the count of one answer. JSON names (stable): answer, count.
type Bucket struct {
	Answer string `json:"answer"`
	Count  int    `json:"count"`
}

// A Trend is an eNPS question wave by wave, in natural order of the wave
// labels ("2026-9" before "2026-10"). JSON names (stable): question (the
// question id) and waves ([WaveScore]s).
type Trend struct {
	Question string      `json:"question"`
	Waves    []WaveScore `json:"waves"`
}

// A WaveScore is one wave of a Trend. Waves are a breakdown, so the
// anonymity rules apply to them as to any group.
//
// JSON names (stable): wave, suppressed, respondents, enps ([NPS]), wald,
// adjusted_wald ([Interval]s) and change ([Difference]); a suppressed wave
// has only wave and suppressed.
type WaveScore struct {
	Wave        string      `json:"wave"`
	Suppressed  Suppression `json:"suppressed,omitempty"`
	Respondents int         `json:"respondents,omitempty"`
	NPS         *NPS        `json:"enps,omitempty"`
	Wald        *Interval   `json:"wald,omitempty"`
	// AdjustedWald is the adjusted-Wald interval at the report's level.
	AdjustedWald *Interval `json:"adjusted_wald,omitempty"`
	// Change is this wave minus the previous wave (Compare(this, previous)).
	// It is nil for the first wave, when either wave is suppressed or has
	// no eNPS answers, and when both are unanimous (ErrZeroVariance).
	Change *Difference `json:"change,omitempty"`
}

// A Breakdown is the report per value of one column. JSON names (stable):
// by (the column) and groups ([Group]s, in natural order of their values).
type Breakdown struct {
	By     string  `json:"by"`
	Groups []Group `json:"groups"`
}

// A Group is one value of a breakdown column ("" is blank). Suppressed
// groups carry only their value and the reason. JSON names (stable): value,
// suppressed, respondents, responses and questions ([QuestionStats]).
type Group struct {
	Value       string          `json:"value"`
	Suppressed  Suppression     `json:"suppressed,omitempty"`
	Respondents int             `json:"respondents,omitempty"`
	Responses   int             `json:"responses,omitempty"`
	Questions   []QuestionStats `json:"questions,omitempty"`
}

// Report computes the report of the batch's accepted responses.
//
// Anonymity. Group size is the number of distinct respondent ids in the
// group. A report whose scope has fewer respondents than the threshold
// shows no statistics at all. In a breakdown, and among the waves of a
// trend, every group below the threshold is suppressed — its counts,
// statistics and comments. Subtracting the shown groups from the total
// (when the total is shown) recovers the combined numbers of the
// suppressed ones, so those must together hold at least threshold
// distinct respondents too; while they hold fewer — a lone small group, or
// several small ones whose union is still below the threshold — the
// smallest shown group is suppressed as Complementary (ties: the first in
// display order). This is the complementary-suppression rule of
// statistical disclosure control; a shown group alone reaches the
// threshold, so at most one group is added. Comments appear only where
// the group's numbers do.
//
// Scope. Without WithWave the statistics pool every accepted response of
// every wave, and the intervals treat each response as independent; when
// the same people answer several waves that understates the uncertainty,
// so prefer WithWave for an estimate and the Trend for change over time.
//
// Output is deterministic: questions in definition order, groups and
// waves in natural label order, comments sorted.
func (s *Survey) Report(ctx context.Context, b *Batch, opts ...ReportOption) (rep *Report, err error) {
	defer func() {
		if err != nil {
			rep = nil // no partial result beside an error, a recovered panic included
		}
	}()
	defer diag.Recover(&err, "survey: report")
	if b == nil || b.survey != s {
		return nil, errors.New("survey: batch was not read with this survey")
	}
	cfg := config{threshold: DefaultThreshold, level: DefaultLevel}
	if s.minGroup > 0 {
		cfg.threshold = s.minGroup
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.hasThreshold {
		switch {
		case cfg.threshold < MinThreshold:
			return nil, fmt.Errorf("%w: %d is below the absolute floor of %d respondents", ErrThreshold, cfg.threshold, MinThreshold)
		case cfg.threshold < s.minGroup:
			return nil, fmt.Errorf("%w: %d is below the survey's minimum group size %d, which an option can raise but not lower", ErrThreshold, cfg.threshold, s.minGroup)
		}
	}
	if _, err := zQuantile(cfg.level); err != nil {
		return nil, fmt.Errorf("%w: %v", err, cfg.level)
	}
	groupOf := func(r *record) string { return r.wave }
	if cfg.by != "" && cfg.by != ColumnWave {
		j := s.segmentIndex(cfg.by)
		if j < 0 {
			return nil, fmt.Errorf("%w: %q (want %s or %q)", ErrUnknownColumn, cfg.by, quoteList(s.segments), ColumnWave)
		}
		groupOf = func(r *record) string { return r.segments[j] }
	}
	scope := make([]*record, 0, len(b.accepted))
	for i := range b.accepted {
		if !cfg.hasWave || b.accepted[i].wave == cfg.wave {
			scope = append(scope, &b.accepted[i])
		}
	}
	if cfg.hasWave && len(scope) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrUnknownWave, cfg.wave)
	}
	rep = &Report{
		Survey: s.name, Cadence: s.cadence, Wave: cfg.wave, Threshold: cfg.threshold, MinGroupSize: s.minGroup, Level: cfg.level,
		Read: b.read, Accepted: len(b.accepted), Rejected: len(b.rejected),
		Responses: len(scope), Respondents: distinct(scope), Waves: []string{},
	}
	waveCount := map[string]int{} // respondent → waves answered in scope
	for _, w := range partition(scope, func(r *record) string { return r.wave }) {
		rep.Waves = append(rep.Waves, w.value)
		seen := map[string]bool{}
		for _, r := range w.records {
			if !seen[r.respondent] {
				seen[r.respondent] = true
				waveCount[r.respondent]++
			}
		}
	}
	for _, n := range waveCount {
		if n > 1 {
			rep.RepeatRespondents++
		}
	}
	if cfg.hasInvited {
		if cfg.invited <= 0 || cfg.invited < len(scope) {
			return nil, fmt.Errorf("%w: %d invited, %d responses", ErrInvited, cfg.invited, len(scope))
		}
		rate := float64(len(scope)) / float64(cfg.invited)
		rep.Invited, rep.ResponseRate = cfg.invited, &rate
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	shown := rep.Respondents >= cfg.threshold
	if !shown {
		rep.Suppressed = BelowThreshold
	} else {
		rep.Questions = s.stats(scope, cfg.level)
	}
	if cfg.by != "" {
		groups := partition(scope, groupOf)
		rep.Breakdown = &Breakdown{By: cfg.by}
		sizes := make([]int, len(groups))
		for i, g := range groups {
			sizes[i] = distinct(g.records)
		}
		marks := suppress(groups, cfg.threshold, shown)
		for i, g := range groups {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			out := Group{Value: g.value, Suppressed: marks[i]}
			if marks[i] == "" {
				out.Respondents, out.Responses = sizes[i], len(g.records)
				out.Questions = s.stats(g.records, cfg.level)
			}
			rep.Breakdown.Groups = append(rep.Breakdown.Groups, out)
		}
	}
	all := make([]*record, len(b.accepted))
	for i := range b.accepted {
		all[i] = &b.accepted[i]
	}
	waves := partition(all, func(r *record) string { return r.wave })
	sizes := make([]int, len(waves))
	for i, w := range waves {
		sizes[i] = distinct(w.records)
	}
	marks := suppress(waves, cfg.threshold, distinct(all) >= cfg.threshold)
	for qi, q := range s.questions {
		if q.Kind != ENPS {
			continue
		}
		tr := Trend{Question: q.ID}
		var prev *NPS
		for i, w := range waves {
			ws := WaveScore{Wave: w.value, Suppressed: marks[i]}
			var cur *NPS
			if marks[i] == "" {
				ws.Respondents = sizes[i]
				if r, err := npsOf(w.records, qi); err == nil {
					cur = &r
					ws.NPS = cur
					ws.Wald, ws.AdjustedWald = intervals(r, cfg.level)
				}
				if cur != nil && prev != nil {
					if d, err := Compare(*cur, *prev, cfg.level); err == nil {
						ws.Change = &d
					}
				}
			}
			prev = cur
			tr.Waves = append(tr.Waves, ws)
		}
		rep.Trends = append(rep.Trends, tr)
	}
	return rep, nil
}

func distinct(rs []*record) int {
	ids := make(map[string]struct{}, len(rs))
	for _, r := range rs {
		ids[r.respondent] = struct{}{}
	}
	return len(ids)
}

type group struct {
	value   string
	records []*record
}

// partition groups records by key, in natural order of the keys.
func partition(rs []*record, key func(*record) string) []group {
	idx := map[string]int{}
	var gs []group
	for _, r := range rs {
		k := key(r)
		i, ok := idx[k]
		if !ok {
			i = len(gs)
			idx[k] = i
			gs = append(gs, group{value: k})
		}
		gs[i].records = append(gs[i].records, r)
	}
	sort.Slice(gs, func(i, j int) bool { return naturalLess(gs[i].value, gs[j].value) })
	return gs
}

// suppress applies the anonymity rules to groups (see Report). Every group
// with fewer distinct respondents than threshold is BelowThreshold. Then,
// when the total is shown, the suppressed groups together must hold at
// least threshold distinct respondents, because the total minus the shown
// groups reveals their combined answers; while they hold fewer, the
// smallest shown group (first on ties) is made Complementary. Since a
// shown group alone reaches the threshold, at most one is ever added.
func suppress(groups []group, threshold int, totalShown bool) []Suppression {
	marks := make([]Suppression, len(groups))
	sizes := make([]int, len(groups))
	some := false
	for i, g := range groups {
		sizes[i] = distinct(g.records)
		if sizes[i] < threshold {
			marks[i] = BelowThreshold
			some = true
		}
	}
	if !some || !totalShown {
		return marks
	}
	for {
		hidden := map[string]struct{}{}
		for i, g := range groups {
			if marks[i] == "" {
				continue
			}
			for _, r := range g.records {
				hidden[r.respondent] = struct{}{}
			}
		}
		if len(hidden) >= threshold {
			return marks
		}
		pick := -1
		for i, n := range sizes {
			if marks[i] == "" && (pick < 0 || n < sizes[pick]) {
				pick = i
			}
		}
		if pick < 0 {
			return marks // everything is hidden already
		}
		marks[pick] = Complementary
	}
}

func npsOf(rs []*record, qi int) (NPS, error) {
	var c Counts
	for _, r := range rs {
		a := r.answers[qi]
		if !a.set {
			continue
		}
		switch cat, _ := Standard.Classify(a.n); cat {
		case Promoter:
			c.Promoters++
		case Passive:
			c.Passives++
		default:
			c.Detractors++
		}
	}
	return c.NPS()
}

func intervals(r NPS, level float64) (wald, adj *Interval) {
	// The level was checked and r.N > 0, so neither call can fail.
	w, err1 := r.Interval(level, Wald)
	a, err2 := r.Interval(level, AdjustedWald)
	if err1 != nil || err2 != nil {
		return nil, nil
	}
	return &w, &a
}

// stats computes every question's statistics over rs.
func (s *Survey) stats(rs []*record, level float64) []QuestionStats {
	out := make([]QuestionStats, len(s.questions))
	for qi, q := range s.questions {
		st := QuestionStats{ID: q.ID, Kind: q.Kind}
		var sum, fav, neutral, unfav int
		var numeric [11]int // enps 0–10 and likert 1–5, by answer
		choices := map[string]int{}
		for _, r := range rs {
			a := r.answers[qi]
			if !a.set {
				continue
			}
			st.Answered++
			switch q.Kind {
			case ENPS, Likert:
				sum += a.n
				numeric[a.n]++ // validated: 0 ≤ a.n ≤ 10
				switch {
				case a.n >= likertFavourable:
					fav++
				case a.n == likertNeutral:
					neutral++
				default:
					unfav++
				}
			case Choice:
				choices[a.s]++
			case Text:
				st.Comments = append(st.Comments, a.s)
			}
		}
		st.Skipped = len(rs) - st.Answered
		switch q.Kind {
		case ENPS:
			st.Distribution = buckets(numeric[:], Standard.Min, Standard.Max)
		case Likert:
			st.Distribution = buckets(numeric[:], likertMin, likertMax)
		case Choice:
			for _, o := range q.Options {
				st.Distribution = append(st.Distribution, Bucket{Answer: o, Count: choices[o]})
			}
		case Text:
			sort.Strings(st.Comments)
		}
		if st.Answered > 0 && (q.Kind == ENPS || q.Kind == Likert) {
			mean := float64(sum) / float64(st.Answered)
			st.Mean = &mean
			if q.Kind == Likert {
				n := float64(st.Answered)
				f, ne, u := float64(fav)/n, float64(neutral)/n, float64(unfav)/n
				st.Favourable, st.Neutral, st.Unfavourable = &f, &ne, &u
			}
		}
		if q.Kind == ENPS {
			if r, err := npsOf(rs, qi); err == nil {
				st.NPS = &r
				st.Wald, st.AdjustedWald = intervals(r, level)
			}
		}
		out[qi] = st
	}
	return out
}

func buckets(counts []int, lo, hi int) []Bucket {
	out := make([]Bucket, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		out = append(out, Bucket{Answer: strconv.Itoa(v), Count: counts[v]})
	}
	return out
}
