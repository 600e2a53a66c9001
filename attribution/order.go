package attribution

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/revengine/revengine/internal/diag"
)

// An OrderCriterion says how ChooseOrder recommends a Markov order.
type OrderCriterion int

const (
	// CrossValidated (the default) recommends the smallest order whose
	// out-of-sample AUC, averaged over the folds, is within one standard
	// error of the best order's (the one-standard-error rule of Breiman et
	// al. 1984, Hastie, Tibshirani & Friedman §7.10): a higher order must
	// predict conversions better on journeys it was not fitted to, by more
	// than the noise of the estimate.
	CrossValidated OrderCriterion = iota
	// PenalizedAUC recommends the order of ChannelAttribution's
	// choose_order: the highest in-sample penalised AUC (see OrderScore).
	PenalizedAUC
)

// OrderConfig configures ChooseOrder; the zero value means 5 folds, seed
// 0 and the CrossValidated criterion.
type OrderConfig struct {
	Folds     int    // cross-validation folds, at least 2 (default 5)
	Seed      uint64 // seeds the split of the journeys into folds
	Criterion OrderCriterion
}

// OrderSelection is ChooseOrder's evidence and recommendation.
type OrderSelection struct {
	Recommended int          `json:"recommended_order"`
	Criterion   string       `json:"criterion"` // "cross_validated" or "penalized_auc"
	Folds       int          `json:"folds"`
	Seed        uint64       `json:"seed"`
	Orders      []OrderScore `json:"orders"`
}

// An OrderScore is how well the Markov chain of one order predicts
// conversion. The prediction for a journey is ChannelAttribution's: the
// fraction of the fitted journeys ending in the same state (the window of
// the last Order channels) that converted; a state the fitted journeys
// never ended in predicts their overall conversion rate.
type OrderScore struct {
	Order  int `json:"order"`
	States int `json:"states"` // transient states of the chain fitted to all journeys
	// AUC is the mean over the folds of the area under the ROC curve of
	// the predictions for the held-out journeys (the exact
	// Mann–Whitney area, ties counted half), AUCStdErr its standard error
	// (the folds' standard deviation / √folds).
	AUC       float64 `json:"auc"`
	AUCStdErr float64 `json:"auc_std_err"`
	// LogLoss is the mean held-out log loss, with each state's conversion
	// rate smoothed as (conversions + ½)/(journeys + 1) so that it is
	// finite.
	LogLoss float64 `json:"log_loss"`
	// InSampleAUC and PenalizedAUC are ChannelAttribution's choose_order
	// figures, on all the journeys: the trapezoidal area of a ROC curve of
	// 100 thresholds evenly spaced between the lowest and the highest
	// prediction, and 1 − (1 − AUC)·(N − 1)/(N − K − 1) with N the journeys
	// and K = C(channels + order − 1, order), 0 when outside [0, 1] or when
	// K ≥ N.
	InSampleAUC  float64 `json:"in_sample_auc"`
	PenalizedAUC float64 `json:"penalized_auc"`
}

// ChooseOrder compares the Markov chains of orders 1 to maxOrder on a by
// how well each predicts which journeys convert, and recommends one (see
// OrderCriterion). Orders above the longest path are the chain of that
// path's length and are not listed. The journeys (paths with touches) are split into
// cfg.Folds folds at random (seeded: each path's converting and
// non-converting journeys are dealt out as multinomial draws); each fold
// is predicted by the chain fitted to the others. It needs converting and
// non-converting journeys, in every fold's training data; ctx is checked
// between orders and folds.
func ChooseOrder(ctx context.Context, a *Aggregate, maxOrder int, cfg OrderConfig) (sel *OrderSelection, err error) {
	defer diag.Recover(&err, "attribution: ChooseOrder")
	if cfg.Folds == 0 {
		cfg.Folds = 5
	}
	switch {
	case maxOrder < 1:
		return nil, fmt.Errorf("attribution: ChooseOrder: %w: %d", ErrBadOrder, maxOrder)
	case cfg.Folds < 2:
		return nil, fmt.Errorf("attribution: ChooseOrder: %w: %d folds (want at least 2)", ErrInvalidInput, cfg.Folds)
	}
	if a == nil {
		a = &Aggregate{}
	}
	v := a.view()
	at := v.attributable()
	if at.conversions == 0 {
		return nil, fmt.Errorf("attribution: ChooseOrder: %w", ErrNoConversions)
	}
	if at.conversions == at.journeys {
		return nil, fmt.Errorf("attribution: ChooseOrder: %w: every journey converted, so there is nothing to tell apart", ErrInvalidInput)
	}
	// fold[f][i]: path i's (conversions, nulls) in fold f.
	fold := make([][][2]int64, cfg.Folds)
	for f := range fold {
		fold[f] = make([][2]int64, len(v.paths))
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x0dde12))
	for i, p := range v.paths {
		for k, n := range [2]int64{p.conversions, p.journeys - p.conversions} {
			for f := 0; f < cfg.Folds; f++ {
				x := n
				if f < cfg.Folds-1 {
					x = binomial(rng, n, 1/float64(cfg.Folds-f))
				}
				fold[f][i][k] = x
				n -= x
			}
		}
	}
	sel = &OrderSelection{Folds: cfg.Folds, Seed: cfg.Seed, Criterion: "cross_validated"}
	if cfg.Criterion == PenalizedAUC {
		sel.Criterion = "penalized_auc"
	}
	all := make([][2]int64, len(v.paths))
	for i, p := range v.paths {
		all[i] = [2]int64{p.conversions, p.journeys - p.conversions}
	}
	train := make([][2]int64, len(v.paths))
	// Above the longest path every order is the same chain as that one.
	longest := 1
	for _, p := range v.paths {
		longest = max(longest, len(p.key)/2)
	}
	for k := 1; k <= min(maxOrder, longest); k++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		last := make([]int32, len(v.paths)) // the last state of each path
		ids := map[string]int32{}
		states := map[string]bool{}
		for i, p := range v.paths {
			n := len(p.key) / 2
			w := p.key[2*max(0, n-k):]
			id, ok := ids[w]
			if !ok {
				id = int32(len(ids))
				ids[w] = id
			}
			last[i] = id
			for j := 0; j < n; j++ {
				states[p.key[2*max(0, j-k+1):2*(j+1)]] = true
			}
		}
		sc := OrderScore{Order: k, States: 1 + len(states)}
		var aucs []float64
		var ll float64
		var llN int64
		for f := 0; f < cfg.Folds; f++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for i := range train {
				train[i] = [2]int64{all[i][0] - fold[f][i][0], all[i][1] - fold[f][i][1]}
			}
			raw, smooth := predict(train, last, len(ids))
			if auc, ok := aucOf(raw, fold[f]); ok {
				aucs = append(aucs, auc)
			}
			for i, c := range fold[f] {
				p := smooth[i]
				ll -= float64(c[0])*math.Log(p) + float64(c[1])*math.Log1p(-p)
				llN += c[0] + c[1]
			}
		}
		if len(aucs) == 0 {
			return nil, fmt.Errorf("attribution: ChooseOrder: %w: no fold has both converting and non-converting journeys", ErrInvalidInput)
		}
		var mean float64
		for _, x := range aucs {
			mean += x
		}
		mean /= float64(len(aucs))
		var ss float64
		for _, x := range aucs {
			ss += (x - mean) * (x - mean)
		}
		sc.AUC = mean
		if len(aucs) > 1 {
			sc.AUCStdErr = math.Sqrt(ss/float64(len(aucs)-1)) / math.Sqrt(float64(len(aucs)))
		}
		sc.LogLoss = ll / float64(llN)
		raw, _ := predict(all, last, len(ids))
		sc.InSampleAUC = rocAUC100(raw, all)
		nn := math.Exp(lgamma(float64(len(v.chans)+k)) - lgamma(float64(k+1)) - lgamma(float64(len(v.chans))))
		np := float64(at.journeys)
		if nn < np {
			sc.PenalizedAUC = 1 - (1-sc.InSampleAUC)*((np-1)/(np-nn-1))
			if sc.PenalizedAUC < 0 || sc.PenalizedAUC > 1 || math.IsNaN(sc.PenalizedAUC) {
				sc.PenalizedAUC = 0
			}
		}
		sel.Orders = append(sel.Orders, sc)
	}
	best := 0
	for i, o := range sel.Orders {
		if cfg.Criterion == PenalizedAUC {
			if o.PenalizedAUC > sel.Orders[best].PenalizedAUC {
				best = i
			}
		} else if o.AUC > sel.Orders[best].AUC {
			best = i
		}
	}
	sel.Recommended = sel.Orders[best].Order
	if cfg.Criterion == CrossValidated {
		limit := sel.Orders[best].AUC - sel.Orders[best].AUCStdErr
		for _, o := range sel.Orders {
			if o.AUC >= limit {
				sel.Recommended = o.Order
				break
			}
		}
	}
	return sel, nil
}

func lgamma(x float64) float64 { v, _ := math.Lgamma(x); return v }

// predict returns each path's predicted conversion probability from the
// training counts: its last state's conversion rate (raw; the overall rate
// for a state without training journeys) and the same smoothed as
// (conversions + ½)/(journeys + 1).
func predict(train [][2]int64, last []int32, nStates int) (raw, smooth []float64) {
	conv := make([]int64, nStates)
	tot := make([]int64, nStates)
	var c, n int64
	for i, t := range train {
		conv[last[i]] += t[0]
		tot[last[i]] += t[0] + t[1]
		c += t[0]
		n += t[0] + t[1]
	}
	overall := 0.0
	if n > 0 {
		overall = float64(c) / float64(n)
	}
	raw = make([]float64, len(train))
	smooth = make([]float64, len(train))
	for i := range train {
		s := last[i]
		raw[i] = overall
		if tot[s] > 0 {
			raw[i] = float64(conv[s]) / float64(tot[s])
		}
		smooth[i] = (float64(conv[s]) + 0.5) / (float64(tot[s]) + 1)
	}
	return raw, smooth
}

// aucOf is the Mann–Whitney area under the ROC curve of the scores for
// the labelled counts (c[0] positives, c[1] negatives per item), ties
// counted half; false when there are no positives or no negatives.
func aucOf(score []float64, items [][2]int64) (float64, bool) {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(x, y int) int { return cmp.Compare(score[x], score[y]) })
	var pos, neg, negBelow float64
	var area float64
	for i := 0; i < len(idx); {
		j := i
		var p, n float64
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			p += float64(items[idx[j]][0])
			n += float64(items[idx[j]][1])
			j++
		}
		area += p * (negBelow + n/2)
		negBelow += n
		pos += p
		neg += n
		i = j
	}
	if pos == 0 || neg == 0 {
		return 0, false
	}
	return area / (pos * neg), true
}

// rocAUC100 is ChannelAttribution's choose_order ROC area: 100 thresholds
// evenly spaced from the lowest to the highest score, a journey predicted
// to convert when its score is at least the threshold, the points joined
// from (0, 0) to (1, 1) by the trapezoidal rule.
func rocAUC100(score []float64, items [][2]int64) float64 {
	const npt = 100
	lo, hi := 1.0, 0.0
	for _, s := range score {
		lo, hi = math.Min(lo, s), math.Max(hi, s)
	}
	var auc, tprOld, fprOld float64
	for k := npt - 1; k >= 0; k-- {
		th := lo + float64(k)*(hi-lo)/(npt-1)
		var tp, fn, tn, fp float64
		for i, it := range items {
			if score[i] >= th {
				tp += float64(it[0])
				fp += float64(it[1])
			} else {
				fn += float64(it[0])
				tn += float64(it[1])
			}
		}
		tpr, fpr := 0.0, 0.0
		if tp+fn > 0 {
			tpr = tp / (tp + fn)
		}
		if fp+tn > 0 {
			fpr = fp / (fp + tn)
		}
		auc += (fpr-fprOld)*tprOld + (fpr-fprOld)*(tpr-tprOld)/2
		tprOld, fprOld = tpr, fpr
	}
	return auc + (1-fprOld)*tprOld + (1-fprOld)*(1-tprOld)/2
}
