package attribution

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
)

// ChannelRules say how channel names are normalised as data comes in, so
// that "Paid_Search" and "paid_search " from two exports are one channel.
// Trim and Fold apply first, then Names.
type ChannelRules struct {
	// Trim removes leading and trailing white space (Unicode).
	Trim bool
	// Fold lower-cases the name (strings.ToLower, Unicode).
	Fold bool
	// Names maps a name to its channel. Its keys and values are trimmed
	// and folded like the input before use, so with Fold a key matches
	// every spelling that differs only in case. The mapping is one step:
	// a target is not looked up again.
	Names map[string]string
}

// A ChannelMap is compiled ChannelRules, built by NewChannelMap and given
// to a reader or an aggregate with WithChannelMap. It is immutable and safe
// for concurrent use.
type ChannelMap struct {
	trim, fold bool
	names      map[string]string
}

// ErrChannelMap marks channel rules that contradict themselves: a key that
// maps to an empty name, or two keys that become the same name after
// trimming and folding but map to different channels.
var ErrChannelMap = errors.New("invalid channel map")

// NewChannelMap compiles the rules; see ErrChannelMap for what it rejects.
func NewChannelMap(r ChannelRules) (*ChannelMap, error) {
	m := &ChannelMap{trim: r.Trim, fold: r.Fold, names: make(map[string]string, len(r.Names))}
	keys := make([]string, 0, len(r.Names))
	for k := range r.Names {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first conflicting key in name order is reported
	for _, k := range keys {
		from, to := m.clean(k), m.clean(r.Names[k])
		if from == "" || to == "" {
			return nil, fmt.Errorf("%w: %q → %q: empty channel name", ErrChannelMap, k, r.Names[k])
		}
		if prev, dup := m.names[from]; dup && prev != to {
			return nil, fmt.Errorf("%w: %q maps to both %q and %q", ErrChannelMap, from, prev, to)
		}
		m.names[from] = to
	}
	return m, nil
}

func (m *ChannelMap) clean(s string) string {
	if m.trim {
		s = strings.TrimSpace(s)
	}
	if m.fold {
		s = strings.ToLower(s)
	}
	return s
}

// Normalize returns the channel name s stands for under the rules; it may
// be empty when s is only white space and Trim is set.
func (m *ChannelMap) Normalize(s string) string {
	if m == nil {
		return s
	}
	s = m.clean(s)
	if to, ok := m.names[s]; ok {
		return to
	}
	return s
}

// WithChannelMap normalises every channel name read or added (the touch
// and path readers, Aggregate.Add and AddPath, ReadLiftTests) through m. The
// aggregate keeps which raw names became which channel (Aggregate.Renamed,
// and Result.Renamed). A nil m normalises nothing.
func WithChannelMap(m *ChannelMap) Option { return func(c *config) { c.norm = m } }

// A Rename is one raw channel name that normalisation changed, with the
// number of touches (for path input, journeys × occurrences) it had.
type Rename struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Touches int64  `json:"touches"`
}

// Renamed returns the raw channel names normalisation changed, sorted by
// target then raw name; nil without a channel map.
func (a *Aggregate) Renamed() []Rename {
	var out []Rename
	for _, r := range a.renamed {
		if r.From != r.To {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].To != out[j].To {
			return out[i].To < out[j].To
		}
		return out[i].From < out[j].From
	})
	return out
}

// rawChannel returns the channel id of the raw name under the aggregate's
// channel map, counting n touches for the name.
func (a *Aggregate) rawChannel(raw string, n int64) (uint16, error) {
	if i, ok := a.rawID[raw]; ok {
		a.renamed[i].Touches += n
		return a.chanID[a.renamed[i].To], nil
	}
	to := a.norm.Normalize(raw)
	if to == "" {
		return 0, fmt.Errorf("%w: channel %q is empty after normalisation", ErrInvalidJourney, raw)
	}
	id, err := a.channelExact(to)
	if err != nil {
		return 0, err
	}
	if a.rawID == nil {
		a.rawID = map[string]int32{}
	}
	a.rawID[raw] = int32(len(a.renamed))
	a.renamed = append(a.renamed, Rename{From: raw, To: to, Touches: n})
	return id, nil
}

// mergeRenamed adds o's raw-name counts to a's.
func (a *Aggregate) mergeRenamed(o *Aggregate) {
	for _, r := range o.renamed {
		if i, ok := a.rawID[r.From]; ok && a.renamed[i].To == r.To {
			a.renamed[i].Touches += r.Touches
			continue
		}
		if a.rawID == nil {
			a.rawID = map[string]int32{}
		}
		if _, ok := a.rawID[r.From]; !ok {
			a.rawID[r.From] = int32(len(a.renamed))
		}
		a.renamed = append(a.renamed, r)
	}
}

// similarChannels warns about channels whose names differ only in case or
// surrounding white space: the symptom normalisation is for.
func similarChannels(chans []string) []Warning {
	groups := map[string][]string{}
	for _, c := range chans {
		k := strings.ToLower(strings.TrimSpace(c))
		groups[k] = append(groups[k], c)
	}
	var out []Warning
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		sort.Strings(g)
		q := make([]string, len(g))
		for i, c := range g {
			q[i] = fmt.Sprintf("%q", c)
		}
		out = append(out, Warning{Code: WarnSimilarChannels, Channel: g[0],
			Msg: fmt.Sprintf("channels %s differ only in case or white space (normalise them with a channel map, CLI --channel-fold)", strings.Join(q, ", "))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Channel < out[j].Channel })
	return out
}

var channelMapColumns = []csvio.Column{{Name: "from", Required: true}, {Name: "to", Required: true}}

// ReadChannelMap reads a channel table, CSV with the header "from,to"
// (columns in any order), one row per raw name, for ChannelRules.Names. A
// name listed twice or an empty field is an error at its line; every bad
// line is reported, as by ReadTouches (MaxRecordBytes bounds a record).
func ReadChannelMap(ctx context.Context, r io.Reader, name string, opts ...Option) (m map[string]string, err error) {
	defer diag.Recover(&err, "attribution: ReadChannelMap")
	c := newConfig(opts)
	t, err := openTable(ctx, r, name, c, channelMapColumns)
	if err != nil {
		return nil, err
	}
	m = map[string]string{}
	lines := map[string]int{}
	errs := errorList{name: name}
	row := func() *Error {
		if err := t.cr.CheckWidth(t.rec, t.h); err != nil {
			return err.(*Error)
		}
		from, to := string(t.field(0)), string(t.field(1))
		switch {
		case strings.TrimSpace(from) == "":
			return t.errf(0, ErrSyntax, "empty")
		case strings.TrimSpace(to) == "":
			return t.errf(1, ErrSyntax, "empty")
		}
		if l, dup := lines[from]; dup {
			return t.errf(0, ErrSyntax, "%q is listed twice (first on line %d)", from, l)
		}
		m[from], lines[from] = to, t.rec.Line
		return nil
	}
	if err := t.each(ctx, &errs, row); err != nil {
		return nil, err
	}
	return m, nil
}
