package mrr

import (
	"fmt"
	"github.com/revengine/revengine/revenue"

	"github.com/revengine/revengine/revenue/internal/kpi"
)

// op prefixes the messages of the shared checks.
const op kpi.Op = "mrr: "

// Short forms of the shared sentinels and helpers.
var (
	errInvalid = kpi.ErrInvalid
	errDivZero = kpi.ErrDivZero
	add64      = kpi.Add64

	kpiNegative     = kpi.ErrNegative
	kpiInconsistent = kpi.ErrInconsistent
	errNegative     = kpi.ErrNegative
	errRate         = kpi.ErrRate
	errEmpty        = kpi.ErrEmpty
	errInconsistent = kpi.ErrInconsistent
)

// CustomerChurnVariant selects the denominator of CustomerChurn; it is an
// option of CustomerChurn only.
type CustomerChurnVariant string

// The customer churn variants.
const (
	// CustomerChurnStart is customers lost / customers at the start: the default.
	CustomerChurnStart CustomerChurnVariant = "start"
	// CustomerChurnStartPlusNew is customers lost / (customers at start + new).
	CustomerChurnStartPlusNew CustomerChurnVariant = "start_plus_new"
)

// ChurnVariant selects the definition of MRR churn; it is an option of
// Churn only.
type ChurnVariant string

// The MRR churn variants.
const (
	// ChurnGross is gross MRR churn, (churn + contraction) / starting MRR:
	// the default.
	ChurnGross ChurnVariant = "gross"
	// ChurnNet is net MRR churn, (churn + contraction − expansion) / starting MRR.
	ChurnNet ChurnVariant = "net"
	// ChurnNetReactivation is net MRR churn that also offsets reactivation,
	// (churn + contraction − expansion − reactivation) / starting MRR,
	// ChartMogul's "net MRR churn rate".
	ChurnNetReactivation ChurnVariant = "net_with_reactivation"
)

// variant picks the one variant given (the default when none); two
// different ones, or one not in known, are ErrInvalidInput.
func variant[V ~string](name string, def V, given []V, known ...V) (V, error) {
	v := def
	for i, g := range given {
		if i > 0 && g != v {
			return "", fmt.Errorf("mrr: %s: %w: two variants, %q and %q", name, errInvalid, v, g)
		}
		v = g
	}
	for _, k := range known {
		if k == v {
			return v, nil
		}
	}
	return "", fmt.Errorf("mrr: %s: %w: unknown variant %q", name, errInvalid, v)
}

// The module's error kinds, as in package revenue (see revenue.ErrZeroDenominator):
// one sentinel per kind for the whole module, re-exported under the same names.
var (
	ErrZeroDenominator   = revenue.ErrZeroDenominator   // a zero denominator
	ErrCurrencyMismatch  = revenue.ErrCurrencyMismatch  // money of two currencies
	ErrNegativeAmount    = revenue.ErrNegativeAmount    // a negative amount or count
	ErrInvalidRate       = revenue.ErrInvalidRate       // a rate or share outside its domain
	ErrEmptyInput        = revenue.ErrEmptyInput        // no data
	ErrInconsistentInput = revenue.ErrInconsistentInput // inputs that contradict each other
	ErrOverflow          = revenue.ErrOverflow          // a result that does not fit
	ErrInvalidInput      = revenue.ErrInvalidInput      // any other invalid argument
)
