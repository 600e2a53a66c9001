package attribution

import (
	"errors"
	"fmt"
	"strings"

	"github.com/revengine/revengine/internal/diag"
)

// ErrUnknownModel: ModelByName does not know the name.
var ErrUnknownModel = errors.New("unknown model")

// A ModelOption configures the models that have settings: Markov
// (WithMarkovValue; WithOrder through ModelByName), ShapleyLocalRate
// (WithSampling), and the data-driven models' WithPrivacyThreshold. A
// model ignores the options that are not its own.
type ModelOption func(*modelConfig)

type modelConfig struct {
	order       int
	value       MarkovValueRule
	samples     int
	seed        uint64
	forceSample bool
	minJourneys int64
	privacy     PrivacyRule
}

func newModelConfig(opts []ModelOption) modelConfig {
	c := modelConfig{order: 1, samples: DefaultSamples, seed: 1}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithOrder sets the order k of the Markov chain ModelByName builds
// (default 1).
func WithOrder(k int) ModelOption { return func(c *modelConfig) { c.order = k } }

// modelNames lists the models by name, in the order Models reports them.
var modelNames = []string{
	"first_touch", "last_touch", "last_non_direct", "linear", "position_based", "j_shaped", "inverse_j",
	"time_decay", "w_shaped", "full_path", "participation", "markov", "shapley", "shapley_local_rate",
}

// Models returns the names ModelByName accepts: the rule-based models from
// first touch to participation, then the data-driven ones.
func Models() []string { return append([]string(nil), modelNames...) }

// ModelByName returns the model called name: first_touch, last_touch,
// last_non_direct, linear, position_based (UShaped, 40/20/40), j_shaped,
// inverse_j, time_decay, w_shaped, full_path, participation, markov
// (of the order WithOrder sets, default 1, and the value rule of
// WithMarkovValue), shapley or shapley_local_rate (WithSampling). An
// unknown name, or a Markov order below 1, is an error matching
// ErrUnknownModel or ErrBadOrder.
func ModelByName(name string, opts ...ModelOption) (m Model, err error) {
	defer diag.Recover(&err, "attribution: ModelByName")
	c := newModelConfig(opts)
	switch name {
	case "first_touch":
		return FirstTouch(), nil
	case "last_touch":
		return LastTouch(), nil
	case "last_non_direct":
		return LastNonDirect(), nil
	case "linear":
		return Linear(), nil
	case "position_based":
		return UShaped(), nil
	case "j_shaped":
		return JShaped(), nil
	case "inverse_j":
		return InverseJ(), nil
	case "time_decay":
		return TimeDecay(), nil
	case "w_shaped":
		return WShaped(), nil
	case "full_path":
		return FullPath(), nil
	case "participation":
		return Participation(), nil
	case "markov":
		if c.order < 1 {
			return nil, fmt.Errorf("%w: %d", ErrBadOrder, c.order)
		}
		return Markov(c.order, opts...), nil
	case "shapley":
		return Shapley(opts...), nil
	case "shapley_local_rate":
		return ShapleyLocalRate(opts...), nil
	}
	return nil, fmt.Errorf("%w %q (want one of %s)", ErrUnknownModel, name, strings.Join(modelNames, ", "))
}
