package engine

import (
	"fmt"
	"math"
	"slices"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/revenue"
)

// Returns sets an attribution result's credit against spend rows, the one
// attribution → ROI path: the rows are totalled by channel (every row, of
// any period and category; filter them first to report a period), and each
// channel of the result or the spend gets a Return through revenue.ROI (with
// the options roi), revenue.ROAS and cost per credited conversion, sorted by
// channel. A channel with spend that no journey touches has zero value and
// so ROI −1; a channel without spend has zero cost and no ratios (see
// SpendWarnings for both). Spend in a currency other than the result's is an
// error matching ErrCurrencyMismatch, a negative amount ErrNegativeAmount
// and totals beyond int64 ErrOverflow.
func Returns(res *attribution.Result, spend []record.Spend, roi ...revenue.ROIOption) ([]Return, error) {
	if res == nil {
		return nil, fmt.Errorf("engine: returns of a nil result: %w", ErrInvalidInput)
	}
	cur := res.TotalValue.Currency
	by, cur, err := spendByChannel(spend, cur)
	if err != nil {
		return nil, err
	}
	return returns(res, by, cur, roi)
}

// SpendWarnings reports the mismatches between an attribution result and
// spend rows: a attribution.WarnSpendWithoutJourneys warning for each
// channel with spend that no journey touches, and a
// attribution.WarnJourneysWithoutSpend warning for each channel of the
// journeys that no spend row names, sorted by channel.
func SpendWarnings(res *attribution.Result, spend []record.Spend) []attribution.Warning {
	total := map[string]money.Money{}
	for _, s := range spend {
		t, ok := total[s.Channel]
		if !ok {
			total[s.Channel] = s.Amount
			continue
		}
		if sum, err := t.Add(s.Amount); err == nil {
			total[s.Channel] = sum
		}
	}
	var out []attribution.Warning
	if res != nil {
		for _, c := range res.Channels {
			if _, ok := total[c.Channel]; !ok {
				out = append(out, attribution.Warning{Code: attribution.WarnJourneysWithoutSpend, Channel: c.Channel,
					Msg: fmt.Sprintf("journeys touch channel %q, which has no spend: its cost is unknown, so its return is not computed", c.Channel)})
			}
		}
	}
	for ch, c := range total {
		if res == nil || !hasChannel(res, ch) {
			out = append(out, attribution.Warning{Code: attribution.WarnSpendWithoutJourneys, Channel: ch,
				Msg: fmt.Sprintf("spend of %v on channel %q, which no journey touches: it earns nothing (ROI -1)", c, ch)})
		}
	}
	slices.SortFunc(out, func(a, b attribution.Warning) int {
		if a.Channel != b.Channel {
			if a.Channel < b.Channel {
				return -1
			}
			return 1
		}
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}

func hasChannel(res *attribution.Result, ch string) bool {
	_, ok := res.Channel(ch)
	return ok
}

// spendByChannel totals spend rows by channel in minor units of cur (the
// first row's currency when cur is empty).
func spendByChannel(spend []record.Spend, cur money.Currency) (map[string]int64, money.Currency, error) {
	by := map[string]int64{}
	for _, s := range spend {
		if cur == "" {
			cur = s.Amount.Currency
		}
		if s.Amount.Currency != cur {
			return nil, cur, fmt.Errorf("engine: spend on %q%s in %q, but the result is in %q: %w", s.Channel, lineSuffix(s.Line), string(s.Amount.Currency), string(cur), ErrCurrencyMismatch)
		}
		if s.Amount.Amount < 0 {
			return nil, cur, fmt.Errorf("engine: negative spend %v on %q%s: %w", s.Amount, s.Channel, lineSuffix(s.Line), ErrNegativeAmount)
		}
		if by[s.Channel] > math.MaxInt64-s.Amount.Amount {
			return nil, cur, fmt.Errorf("engine: the spend on %q%s overflows int64: %w", s.Channel, lineSuffix(s.Line), ErrOverflow)
		}
		by[s.Channel] += s.Amount.Amount
	}
	return by, cur, nil
}

func lineSuffix(line int) string {
	if line <= 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", line)
}
