package attribution

import (
	"context"
	"fmt"
	"math"
)

// DirectChannel is the channel name LastNonDirect skips (compared exactly).
const DirectChannel = "direct"

type ruleKind int

const (
	ruleFirst ruleKind = iota
	ruleLast
	ruleLastNonDirect
	ruleLinear
	rulePosition
	ruleParticipation
)

// rule is a heuristic model computed from the distinct paths alone.
type rule struct {
	name                string
	kind                ruleKind
	first, middle, last float64 // position-based weights
}

// FirstTouch credits each conversion and its value to the journey's first touch.
func FirstTouch() Model { return rule{name: "first_touch", kind: ruleFirst} }

// LastTouch credits each conversion and its value to the journey's last touch.
func LastTouch() Model { return rule{name: "last_touch", kind: ruleLast} }

// LastNonDirect credits the last touch whose channel is not DirectChannel;
// a journey whose touches are all direct credits its last (direct) touch.
func LastNonDirect() Model { return rule{name: "last_non_direct", kind: ruleLastNonDirect} }

// Linear gives each of a journey's n touches 1/n; a channel touched twice
// gets 2/n.
func Linear() Model { return rule{name: "linear", kind: ruleLinear} }

// Participation gives every distinct channel of a converting journey one
// conversion and the journey's full value. Its credits do not sum to the
// totals: a channel's Share is the fraction of converting journeys it
// appears in.
func Participation() Model { return rule{name: "participation", kind: ruleParticipation} }

// PositionBased splits each conversion by position with weights for the
// first touch, the middle touches and the last touch (summing to 1): one
// touch gets everything; with two touches the first gets first/(first+last)
// and the last last/(first+last); with n ≥ 3 touches the first and last get
// their weights and the middle weight is split evenly over the n−2 middle
// touches. Its name is "position_based", or "j_shaped"/"inverse_j" for those
// presets' weights.
func PositionBased(first, middle, last float64) Model {
	name := "position_based"
	switch [3]float64{first, middle, last} {
	case [3]float64{0.2, 0.2, 0.6}:
		name = "j_shaped"
	case [3]float64{0.6, 0.2, 0.2}:
		name = "inverse_j"
	}
	return rule{name: name, kind: rulePosition, first: first, middle: middle, last: last}
}

// UShaped is the position-based model 40/20/40, named "position_based".
func UShaped() Model { return PositionBased(0.4, 0.2, 0.4) }

// JShaped is the position-based model 20/20/60, named "j_shaped".
func JShaped() Model { return PositionBased(0.2, 0.2, 0.6) }

// InverseJ is the position-based model 60/20/20, named "inverse_j".
func InverseJ() Model { return PositionBased(0.6, 0.2, 0.2) }

// Name returns the model's CLI name.
func (m rule) Name() string { return m.name }

func (m rule) run(ctx context.Context, a *Aggregate) (*Result, error) {
	if m.kind == rulePosition {
		w := [3]float64{m.first, m.middle, m.last}
		sum := w[0] + w[1] + w[2]
		// Written as negations so that NaN weights (every comparison false)
		// are rejected too instead of leaking NaN credit.
		if !(w[0] >= 0) || !(w[1] >= 0) || !(w[2] >= 0) || !(math.Abs(sum-1) <= 1e-9) || !(w[0]+w[2] > 0) {
			return nil, fmt.Errorf("%w: %g/%g/%g", ErrBadWeights, w[0], w[1], w[2])
		}
	}
	direct, hasDirect := a.chanID[DirectChannel]
	cr := make([]credit, len(a.chans))
	give := func(id uint16, f float64, conv, value float64) {
		cr[id].conv += f * conv
		cr[id].value += f * value
	}
	var seen []bool
	var exact []int64 // participation: each channel's value, exactly
	if m.kind == ruleParticipation {
		seen = make([]bool, len(a.chans))
		exact = make([]int64, len(a.chans))
	}
	for pi, p := range a.paths {
		if pi&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if p.conversions == 0 {
			continue
		}
		conv, value := float64(p.conversions), float64(p.value)
		n := len(p.key) / 2
		switch m.kind {
		case ruleFirst:
			give(keyID(p.key, 0), 1, conv, value)
		case ruleLast:
			give(keyID(p.key, n-1), 1, conv, value)
		case ruleLastNonDirect:
			i := n - 1
			if hasDirect {
				for i >= 0 && keyID(p.key, i) == direct {
					i--
				}
				if i < 0 {
					i = n - 1 // all touches direct
				}
			}
			give(keyID(p.key, i), 1, conv, value)
		case ruleLinear:
			f := 1 / float64(n)
			for i := 0; i < n; i++ {
				give(keyID(p.key, i), f, conv, value)
			}
		case rulePosition:
			switch n {
			case 1:
				give(keyID(p.key, 0), 1, conv, value)
			case 2:
				s := m.first + m.last
				give(keyID(p.key, 0), m.first/s, conv, value)
				give(keyID(p.key, 1), m.last/s, conv, value)
			default:
				give(keyID(p.key, 0), m.first, conv, value)
				give(keyID(p.key, n-1), m.last, conv, value)
				f := m.middle / float64(n-2)
				for i := 1; i < n-1; i++ {
					give(keyID(p.key, i), f, conv, value)
				}
			}
		case ruleParticipation:
			for i := 0; i < n; i++ {
				id := keyID(p.key, i)
				if !seen[id] {
					seen[id] = true
					give(id, 1, conv, value)
					exact[id] += p.value // ≤ the total value: no overflow
				}
			}
			for i := 0; i < n; i++ {
				seen[keyID(p.key, i)] = false
			}
		}
	}
	return newResult(m.name, a).finish(a, cr, exact), nil
}

// NeedsTimes reports false: the rules need only the channel paths.
func (m rule) NeedsTimes() bool { return false }

type journeyKind int

const (
	kindTimeDecay journeyKind = iota
	kindWShaped
	kindFullPath
)

// journeyRule is a model whose credit needs touch times or milestones; it
// reads the per-channel credit the aggregate accumulated journey by journey.
type journeyRule struct {
	name string
	kind journeyKind
}

// TimeDecay weights each touch of a converting journey by 2^(−Δt/h), where
// Δt is the time from the touch to the conversion and h the aggregate's
// half-life (WithHalfLife, default 7 days), and normalises the weights to 1.
func TimeDecay() Model { return journeyRule{"time_decay", kindTimeDecay} }

// WShaped gives 30% each to the first touch, the lead-creation touch and the
// opportunity-creation touch, and spreads the remaining 10% evenly over the
// other touches before the opportunity-creation touch (over all other
// touches when the journey has no opportunity creation). Roles on one touch
// add up (a first touch that created the lead gets 60%); a missing role —
// no lead or opportunity creation, or no other touch to take the 10% — is
// dropped and the rest renormalised to 1. The lead-creation (opportunity)
// touch is the first touch flagged lead_created (opp_created); touches after
// opportunity creation get nothing.
func WShaped() Model { return journeyRule{"w_shaped", kindWShaped} }

// FullPath is WShaped plus the closing (last) touch: first touch, lead
// creation, opportunity creation and closing touch get 22.5% each, and the
// remaining 10% is spread evenly over all the other touches. Roles add up
// and missing ones are renormalised away as in WShaped.
func FullPath() Model { return journeyRule{"full_path", kindFullPath} }

// Name returns the model's CLI name.
func (m journeyRule) Name() string { return m.name }

func (m journeyRule) run(ctx context.Context, a *Aggregate) (*Result, error) {
	if a.noTimes {
		return nil, ErrNeedsTimes
	}
	var cr []credit
	switch m.kind {
	case kindTimeDecay:
		cr = a.timeDecay
	case kindWShaped:
		cr = a.wShaped
	default:
		cr = a.fullPath
	}
	return newResult(m.name, a).finish(a, cr, nil), nil
}

// NeedsTimes reports true: the model needs touch times or milestones.
func (m journeyRule) NeedsTimes() bool { return true }
