package survey

import "math"

// zQuantile returns the two-sided critical value z for a confidence level in
// (0, 1): the (1 + level)/2 quantile of the standard normal distribution,
// Φ⁻¹((1+level)/2) = √2 · erf⁻¹(level). For level 0.95 it is 1.959963984540054.
func zQuantile(level float64) (float64, error) {
	if !(level > 0 && level < 1) { // also rejects NaN
		return 0, ErrLevel
	}
	return math.Sqrt2 * math.Erfinv(level), nil
}

// twoSidedP returns the two-sided p-value of a standard normal statistic z:
// 2·(1 − Φ(|z|)) = erfc(|z|/√2). math.Erfc keeps precision in the far tail.
func twoSidedP(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}
