package calibrate

import (
	"context"
	"errors"
	"math"
)

// pattern is one combination of fired rules with its leads and wins.
type pattern struct {
	bits   []uint16 // indices of the fired rules, ascending
	n, won float64
}

// fit is the result of the penalised logistic regression.
type fit struct {
	beta       []float64 // [0] intercept, [1+j] rule j
	cov        [][]float64
	iterations int
	converged  bool
	logLik     float64 // unpenalised log-likelihood at beta
}

var errNotPD = errors.New("penalised Hessian is not positive definite")

// logLikelihood is Σ_k [won_k·log p_k + (n_k − won_k)·log(1 − p_k)], with
// log p = −softplus(−η) and log(1 − p) = −softplus(η) computed stably.
func logLikelihood(pats []pattern, beta []float64) float64 {
	var ll float64
	for _, p := range pats {
		eta := linear(p.bits, beta)
		ll -= p.won*softplus(-eta) + (p.n-p.won)*softplus(eta)
	}
	return ll
}

func softplus(x float64) float64 { // log(1 + e^x)
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func linear(bits []uint16, beta []float64) float64 {
	eta := beta[0]
	for _, j := range bits {
		eta += beta[1+int(j)]
	}
	return eta
}

// fitLogistic maximises the penalised log-likelihood
//
//	ℓ(β) − λ/2 · Σ_{j≥1} β_j²
//
// of y ~ Bernoulli(σ(β_0 + Σ_j β_j·x_j)), x_j = 1 when rule j fired, by
// Newton–Raphson (equivalently IRLS) with step halving. The intercept β_0
// is not penalised. cov is the inverse of the penalised Hessian
// Xᵀ W X + λ·diag(0, 1, …, 1) at the optimum.
func fitLogistic(ctx context.Context, pats []pattern, rules int, lambda float64) (*fit, error) {
	p := rules + 1
	beta := make([]float64, p)
	// Start at the intercept of the overall rate: fewer steps, same optimum.
	var n, w float64
	for _, pt := range pats {
		n += pt.n
		w += pt.won
	}
	beta[0] = math.Log(w / (n - w))
	obj := func(b []float64) float64 {
		pen := 0.0
		for _, v := range b[1:] {
			pen += v * v
		}
		return logLikelihood(pats, b) - lambda/2*pen
	}
	cur := obj(beta)
	f := &fit{}
	h := newMatrix(p)
	g := make([]float64, p)
	next := make([]float64, p)
	const maxIter = 100
	for it := 1; it <= maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hessian(pats, beta, lambda, h, g)
		delta, err := solve(h, g)
		if err != nil {
			return nil, err
		}
		step := 1.0
		var val float64
		for half := 0; ; half++ {
			for i := range beta {
				next[i] = beta[i] + step*delta[i]
			}
			val = obj(next)
			if val >= cur || half == 30 {
				break
			}
			step /= 2
		}
		copy(beta, next)
		maxd := 0.0
		for _, d := range delta {
			maxd = math.Max(maxd, math.Abs(step*d))
		}
		f.iterations = it
		gain := val - cur
		cur = val
		if maxd < 1e-10 || (gain >= 0 && gain < 1e-12*math.Max(1, math.Abs(cur))) {
			f.converged = true
			break
		}
	}
	hessian(pats, beta, lambda, h, g)
	cov, err := invert(h)
	if err != nil {
		return nil, err
	}
	f.beta, f.cov, f.logLik = beta, cov, logLikelihood(pats, beta)
	return f, nil
}

// hessian fills h with the penalised negative Hessian and g with the
// penalised gradient at beta. Only the fired rules of each pattern are
// visited, so a pass costs O(Σ_k |bits_k|²).
func hessian(pats []pattern, beta []float64, lambda float64, h [][]float64, g []float64) {
	for i := range h {
		clear(h[i])
	}
	clear(g)
	for _, pt := range pats {
		pr := sigmoid(linear(pt.bits, beta))
		r := pt.won - pt.n*pr
		wt := pt.n * pr * (1 - pr)
		g[0] += r
		h[0][0] += wt
		for a, j := range pt.bits {
			ja := 1 + int(j)
			g[ja] += r
			h[0][ja] += wt
			for _, k := range pt.bits[a:] {
				h[ja][1+int(k)] += wt
			}
		}
	}
	for j := 1; j < len(g); j++ {
		g[j] -= lambda * beta[j]
		h[j][j] += lambda
	}
	for i := range h { // mirror the upper triangle
		for j := i + 1; j < len(h); j++ {
			h[j][i] = h[i][j]
		}
	}
}

func newMatrix(p int) [][]float64 {
	m := make([][]float64, p)
	for i := range m {
		m[i] = make([]float64, p)
	}
	return m
}

// cholesky returns the lower factor L of the symmetric positive definite a.
func cholesky(a [][]float64) ([][]float64, error) {
	p := len(a)
	l := newMatrix(p)
	for i := 0; i < p; i++ {
		for j := 0; j <= i; j++ {
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= l[i][k] * l[j][k]
			}
			if i == j {
				if !(s > 1e-300) || math.IsInf(s, 0) {
					return nil, errNotPD
				}
				l[i][i] = math.Sqrt(s)
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	return l, nil
}

func solve(a [][]float64, b []float64) ([]float64, error) {
	l, err := cholesky(a)
	if err != nil {
		return nil, err
	}
	return cholSolve(l, b), nil
}

func cholSolve(l [][]float64, b []float64) []float64 {
	p := len(l)
	y := make([]float64, p)
	for i := 0; i < p; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= l[i][k] * y[k]
		}
		y[i] = s / l[i][i]
	}
	x := make([]float64, p)
	for i := p - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < p; k++ {
			s -= l[k][i] * x[k]
		}
		x[i] = s / l[i][i]
	}
	return x
}

func invert(a [][]float64) ([][]float64, error) {
	l, err := cholesky(a)
	if err != nil {
		return nil, err
	}
	p := len(a)
	inv := newMatrix(p)
	e := make([]float64, p)
	for j := 0; j < p; j++ {
		clear(e)
		e[j] = 1
		col := cholSolve(l, e)
		for i := range col {
			inv[i][j] = col[i]
		}
	}
	return inv, nil
}
