package calibrate

import (
	"math"
	"slices"
)

// AUC is the area under the ROC curve of a score as a predictor of
// conversion, with its DeLong confidence interval.
//
// Value is the Mann–Whitney statistic: the share of (won, lost) pairs in
// which the won lead scores higher, a tie counting one half,
//
//	A = 1/(m·n) · Σ_i Σ_j ψ(X_i, Y_j),  ψ(x, y) = 1 if x > y, ½ if x = y, 0 if x < y,
//
// over the m won leads' scores X and the n lost leads' scores Y (Hanley &
// McNeil 1982). Its variance is DeLong's (DeLong, DeLong & Clarke-Pearson,
// "Comparing the areas under two or more correlated receiver operating
// characteristic curves: a nonparametric approach", Biometrics 44:837–845,
// 1988): with the structural components V10(X_i) = 1/n Σ_j ψ(X_i, Y_j) and
// V01(Y_j) = 1/m Σ_i ψ(X_i, Y_j),
//
//	S10 = Σ_i (V10(X_i) − A)² / (m − 1),  S01 = Σ_j (V01(Y_j) − A)² / (n − 1),
//	Var(A) = S10/m + S01/n,
//
// computed from mid-ranks in O(N log N) (Sun & Xu, IEEE Signal Processing
// Letters 21(11), 2014). The interval is the normal one, A ± z·SE, cut to
// [0, 1].
type AUC struct {
	Value      float64 `json:"value"`
	SE         float64 `json:"se"` // DeLong standard error; 0 with fewer than two won or two lost leads
	Lo         float64 `json:"lo"`
	Hi         float64 `json:"hi"`
	Confidence float64 `json:"confidence"` // e.g. 0.95
	Method     string  `json:"method"`     // "mann-whitney, delong"
	Won        int     `json:"won"`        // m
	Lost       int     `json:"lost"`       // n
	// HasInterval is false when m < 2 or n < 2: the variance is then
	// undefined and Lo = Hi = Value.
	HasInterval bool `json:"has_interval"`
}

// AUCMethod is AUC.Method.
const AUCMethod = "mann-whitney, delong"

// midranks returns the 1-based mid-ranks of x (ties share the mean of the
// ranks they span), in x's order.
func midranks(x []float64) []float64 {
	n := len(x)
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return int(a - b)
	})
	r := make([]float64, n)
	for i := 0; i < n; {
		j := i
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			r[idx[k]] = mid
		}
		i = j
	}
	return r
}

// computeAUC returns the AUC of won scores pos against lost scores neg,
// or ok = false when either is empty.
func computeAUC(pos, neg []float64, z, conf float64) (AUC, bool) {
	m, n := len(pos), len(neg)
	if m == 0 || n == 0 {
		return AUC{}, false
	}
	all := make([]float64, 0, m+n)
	all = append(all, pos...)
	all = append(all, neg...)
	rAll := midranks(all)
	rPos := midranks(pos)
	rNeg := midranks(neg)
	fm, fn := float64(m), float64(n)
	// V10(X_i) = (R_i − R_i^X)/n: the lost leads below X_i, ties half.
	v10 := make([]float64, m)
	var sum float64
	for i := range pos {
		v10[i] = (rAll[i] - rPos[i]) / fn
		sum += rAll[i]
	}
	a := (sum - fm*(fm+1)/2) / (fm * fn)
	// V01(Y_j) = 1 − (R_j − R_j^Y)/m: the won leads above Y_j, ties half.
	v01 := make([]float64, n)
	for j := range neg {
		v01[j] = 1 - (rAll[m+j]-rNeg[j])/fm
	}
	res := AUC{Value: a, Lo: a, Hi: a, Confidence: conf, Method: AUCMethod, Won: m, Lost: n}
	if m < 2 || n < 2 {
		return res, true
	}
	var s10, s01 float64
	for _, v := range v10 {
		s10 += (v - a) * (v - a)
	}
	for _, v := range v01 {
		s01 += (v - a) * (v - a)
	}
	s10 /= fm - 1
	s01 /= fn - 1
	se := math.Sqrt(s10/fm + s01/fn)
	res.SE = se
	res.Lo = math.Max(0, a-z*se)
	res.Hi = math.Min(1, a+z*se)
	res.HasInterval = true
	return res, true
}
