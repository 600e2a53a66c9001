package attribution

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Disagreement says where models disagree about the same data: each
// channel's share under every model, the channels whose share differs
// most first, and the rank correlation of every pair of models.
//
// JSON: models, channels (channel, shares, min, max, spread, min_model,
// max_model), pairs (a, b, spearman), skipped.
type Disagreement struct {
	Models   []string        `json:"models"`
	Channels []ChannelSpread `json:"channels"`
	Pairs    []ModelPair     `json:"pairs"`
	// Skipped names the models left out: participation, whose shares do
	// not sum to 1 and so are not comparable.
	Skipped []string `json:"skipped,omitempty"`
}

// A ChannelSpread is one channel's share under each model (in the order of
// Disagreement.Models, 0 where a model has no such channel) and the range
// of those shares.
type ChannelSpread struct {
	Channel  string    `json:"channel"`
	Shares   []float64 `json:"shares"`
	Min      float64   `json:"min"`
	Max      float64   `json:"max"`
	Spread   float64   `json:"spread"` // Max − Min
	MinModel string    `json:"min_model"`
	MaxModel string    `json:"max_model"`
}

// A ModelPair is the Spearman rank correlation of two models' channel
// shares: the Pearson correlation of the ranks, tied shares taking the mean
// of their ranks (Spearman 1904). It is nil when either model gives every
// channel the same share, where it is undefined.
type ModelPair struct {
	A        string   `json:"a"`
	B        string   `json:"b"`
	Spearman *float64 `json:"spearman"`
}

// Compare builds the disagreement report of results of several models on
// the same aggregate. Channels are sorted by spread, largest first, ties
// by name; pairs follow the order of the results. It needs two comparable
// results at least.
func Compare(results ...*Result) (*Disagreement, error) {
	d := &Disagreement{}
	var rs []*Result
	for _, r := range results {
		switch {
		case r == nil:
			continue
		case r.Model == "participation":
			d.Skipped = append(d.Skipped, r.Model)
			continue
		}
		rs = append(rs, r)
		d.Models = append(d.Models, r.Model)
	}
	if len(rs) < 2 {
		return nil, fmt.Errorf("attribution: Compare: %w: %d comparable results (want 2 or more)", ErrInvalidInput, len(rs))
	}
	set := map[string]bool{}
	for _, r := range rs {
		for _, c := range r.Channels {
			set[c.Channel] = true
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	shares := make([][]float64, len(rs)) // [model][channel]
	for i, r := range rs {
		shares[i] = make([]float64, len(names))
		for j, n := range names {
			if c, ok := r.Channel(n); ok {
				shares[i][j] = c.Share
			}
		}
	}
	for j, n := range names {
		cs := ChannelSpread{Channel: n, Shares: make([]float64, len(rs)), Min: math.Inf(1), Max: math.Inf(-1)}
		for i := range rs {
			s := shares[i][j]
			cs.Shares[i] = s
			if s < cs.Min {
				cs.Min, cs.MinModel = s, rs[i].Model
			}
			if s > cs.Max {
				cs.Max, cs.MaxModel = s, rs[i].Model
			}
		}
		cs.Spread = cs.Max - cs.Min
		d.Channels = append(d.Channels, cs)
	}
	slices.SortStableFunc(d.Channels, func(x, y ChannelSpread) int { return cmp.Compare(y.Spread, x.Spread) })
	ranks := make([][]float64, len(rs))
	for i := range rs {
		ranks[i] = rank(shares[i])
	}
	for i := range rs {
		for k := i + 1; k < len(rs); k++ {
			d.Pairs = append(d.Pairs, ModelPair{A: rs[i].Model, B: rs[k].Model, Spearman: pearson(ranks[i], ranks[k])})
		}
	}
	return d, nil
}

// rank returns the 1-based ranks of x, ties taking their mean rank.
func rank(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		mean := float64(i+j+1) / 2 // ranks i+1 … j
		for k := i; k < j; k++ {
			r[idx[k]] = mean
		}
		i = j
	}
	return r
}

// pearson is the correlation of x and y; nil when either is constant.
func pearson(x, y []float64) *float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return nil
	}
	r := sxy / math.Sqrt(sxx*syy)
	r = math.Max(-1, math.Min(1, r))
	return &r
}
