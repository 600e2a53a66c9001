package attribution

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
)

// A LiftTest is the result of an incrementality experiment on one channel
// (a geo or holdout test): the conversions it measured the channel to
// cause in a period, with the experiment's interval.
type LiftTest struct {
	Channel string    `json:"channel"`
	Start   time.Time `json:"start"` // first day of the test period
	End     time.Time `json:"end"`   // last day of the test period
	// Incremental is the measured incremental conversions, Low and High
	// the bounds of its interval: 0 ≤ Low ≤ Incremental ≤ High.
	Incremental float64 `json:"incremental_conversions"`
	Low         float64 `json:"low"`
	High        float64 `json:"high"`
	Line        int     `json:"-"` // where it was read, for messages
}

var liftColumns = []csvio.Column{
	{Name: "channel", Required: true},
	{Name: "period_start", Required: true},
	{Name: "period_end", Required: true},
	{Name: "incremental_conversions", Required: true},
	{Name: "lower", Required: true},
	{Name: "upper", Required: true},
}

// ReadLiftTests reads lift-test results, CSV with the header
//
//	channel,period_start,period_end,incremental_conversions,lower,upper
//
// (columns in any order): dates as YYYY-MM-DD (or RFC 3339), the start not
// after the end; numbers decimal, 0 ≤ lower ≤ incremental_conversions ≤
// upper. A channel tested twice is an error (calibrate one period at a
// time). With WithChannelMap the channel names are normalised. Every bad
// line is reported, as by ReadTouches.
func ReadLiftTests(ctx context.Context, r io.Reader, name string, opts ...Option) (tests []LiftTest, err error) {
	defer diag.Recover(&err, "attribution: ReadLiftTests")
	c := newConfig(opts)
	t, err := openTable(ctx, r, name, c, liftColumns)
	if err != nil {
		return nil, err
	}
	lines := map[string]int{}
	errs := errorList{name: name}
	date := func(k int) (time.Time, *Error) {
		s := strings.TrimSpace(string(t.field(k)))
		if d, err := time.Parse(time.DateOnly, s); err == nil {
			return d, nil
		}
		if d, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return d, nil
		}
		return time.Time{}, t.errf(k, ErrSyntax, "%q is not a date (YYYY-MM-DD)", s)
	}
	row := func() *Error {
		if err := t.cr.CheckWidth(t.rec, t.h); err != nil {
			return err.(*Error)
		}
		lt := LiftTest{Channel: strings.TrimSpace(string(t.field(0))), Line: t.rec.Line}
		if c.norm != nil {
			lt.Channel = c.norm.Normalize(lt.Channel)
		}
		if lt.Channel == "" {
			return t.errf(0, ErrSyntax, "empty")
		}
		var e *Error
		if lt.Start, e = date(1); e != nil {
			return e
		}
		if lt.End, e = date(2); e != nil {
			return e
		}
		if lt.End.Before(lt.Start) {
			return t.errf(2, ErrInvalidInput, "%s is before the start %s", lt.End.Format(time.DateOnly), lt.Start.Format(time.DateOnly))
		}
		nums := [3]*float64{&lt.Incremental, &lt.Low, &lt.High}
		for i, p := range nums {
			s := strings.TrimSpace(string(t.field(3 + i)))
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return t.errf(3+i, ErrSyntax, "%q is not a number", s)
			}
			*p = v
		}
		switch {
		case lt.Low < 0:
			return t.errf(4, ErrInvalidInput, "%g is negative (want 0 ≤ lower ≤ incremental_conversions ≤ upper)", lt.Low)
		case lt.Low > lt.Incremental:
			return t.errf(4, ErrInvalidInput, "%g is above incremental_conversions %g", lt.Low, lt.Incremental)
		case lt.High < lt.Incremental:
			return t.errf(5, ErrInvalidInput, "%g is below incremental_conversions %g", lt.High, lt.Incremental)
		}
		if l, dup := lines[lt.Channel]; dup {
			return t.errf(0, ErrSyntax, "%q is tested twice (first on line %d); calibrate one period at a time", lt.Channel, l)
		}
		lines[lt.Channel] = t.rec.Line
		tests = append(tests, lt)
		return nil
	}
	if err := t.each(ctx, &errs, row); err != nil {
		return nil, err
	}
	return tests, nil
}

// A Calibration is an attribution rescaled to incrementality experiments:
// clearly not the model's own credit (Label says so).
//
// JSON: label, model, method, channels, total_conversions, warnings.
type Calibration struct {
	Label  string `json:"label"` // "calibrated to lift tests"
	Model  string `json:"model"`
	Method string `json:"method"` // "ratio"
	// Channels holds every channel of the result, sorted by name.
	Channels []CalibratedCredit `json:"channels"`
	// TotalConversions is the sum of the calibrated conversions: unlike a
	// model's, it need not equal the conversions observed.
	TotalConversions float64   `json:"total_conversions"`
	Warnings         []Warning `json:"warnings,omitempty"`
}

// A CalibratedCredit is one channel's attributed credit beside what a lift
// test measured, and the credit rescaled to the test.
type CalibratedCredit struct {
	Channel string `json:"channel"`
	// Attributed and AttributedValueMinor are the model's credit.
	Attributed           float64 `json:"attributed_conversions"`
	AttributedValueMinor float64 `json:"attributed_value_minor"`
	// Test is the channel's lift test; nil when it has none.
	Test *LiftTest `json:"test,omitempty"`
	// Factor is Test.Incremental / Attributed, with FactorLow and
	// FactorHigh the test's interval bounds over Attributed; nil without a
	// test or when the model credited the channel nothing.
	Factor     *float64 `json:"factor,omitempty"`
	FactorLow  *float64 `json:"factor_low,omitempty"`
	FactorHigh *float64 `json:"factor_high,omitempty"`
	// Calibrated reports whether the credit below was rescaled; when not,
	// it is the model's credit unchanged.
	Calibrated bool `json:"calibrated"`
	// Conversions and ValueMinor are the credit after calibration
	// (Attributed·Factor = Test.Incremental, AttributedValueMinor·Factor),
	// ConversionsLow and ConversionsHigh its interval (the test's).
	Conversions     float64 `json:"conversions"`
	ValueMinor      float64 `json:"value_minor"`
	ConversionsLow  float64 `json:"conversions_low"`
	ConversionsHigh float64 `json:"conversions_high"`
}

// Calibrate sets a result against lift tests and rescales each tested
// channel's credit to its experiment by the ratio method: factor =
// measured incremental conversions / attributed conversions, interval the
// test's bounds over the attributed conversions (the attribution taken as
// fixed); the channel's conversions become the measured ones and its value
// is scaled by the same factor (its value per conversion kept). Channels
// without a test keep their credit, marked not calibrated. The result must
// have been computed on the journeys of the tests' period. A test of a
// channel the result does not have, or of one it credits nothing (the
// ratio's denominator is zero), is a warning and calibrates nothing.
func Calibrate(r *Result, tests []LiftTest) (cal *Calibration, err error) {
	defer diag.Recover(&err, "attribution: Calibrate")
	if r == nil {
		return nil, fmt.Errorf("attribution: Calibrate: %w: nil result", ErrInvalidInput)
	}
	byCh := map[string]*LiftTest{}
	for i := range tests {
		lt := &tests[i]
		if _, dup := byCh[lt.Channel]; dup {
			return nil, fmt.Errorf("attribution: Calibrate: %w: channel %q tested twice", ErrInconsistentInput, lt.Channel)
		}
		if !(lt.Low >= 0 && lt.Low <= lt.Incremental && lt.Incremental <= lt.High) || math.IsInf(lt.High, 0) {
			return nil, fmt.Errorf("attribution: Calibrate: %w: channel %q: want 0 ≤ low ≤ incremental ≤ high, got %g, %g, %g", ErrInvalidInput, lt.Channel, lt.Low, lt.Incremental, lt.High)
		}
		byCh[lt.Channel] = lt
	}
	cal = &Calibration{Label: "calibrated to lift tests", Model: r.Model, Method: "ratio"}
	for _, c := range r.Channels {
		cc := CalibratedCredit{Channel: c.Channel, Attributed: c.Conversions, AttributedValueMinor: c.ValueMinor,
			Conversions: c.Conversions, ValueMinor: c.ValueMinor, ConversionsLow: c.Conversions, ConversionsHigh: c.Conversions}
		if lt, ok := byCh[c.Channel]; ok {
			t := *lt
			cc.Test = &t
			delete(byCh, c.Channel)
			if c.Conversions > 0 {
				f, lo, hi := t.Incremental/c.Conversions, t.Low/c.Conversions, t.High/c.Conversions
				cc.Factor, cc.FactorLow, cc.FactorHigh = &f, &lo, &hi
				cc.Calibrated = true
				cc.Conversions, cc.ValueMinor = t.Incremental, c.ValueMinor*f
				cc.ConversionsLow, cc.ConversionsHigh = t.Low, t.High
			} else {
				cal.Warnings = append(cal.Warnings, Warning{Code: WarnCalibration, Channel: c.Channel,
					Msg: fmt.Sprintf("%s credits channel %q nothing, so its lift test (%g incremental conversions) cannot rescale it", r.Model, c.Channel, t.Incremental)})
			}
		}
		cal.TotalConversions += cc.Conversions
		cal.Channels = append(cal.Channels, cc)
	}
	var rest []string
	for ch := range byCh {
		rest = append(rest, ch)
	}
	sort.Strings(rest)
	for _, ch := range rest {
		cal.Warnings = append(cal.Warnings, Warning{Code: WarnCalibration, Channel: ch,
			Msg: fmt.Sprintf("lift test of channel %q, which no journey touches: not used", ch)})
	}
	return cal, nil
}
