package goal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/rows"
	"github.com/revengine/revengine/internal/yamlx"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// Spec is a parsed target file: a revenue target, how it is split into
// sub-periods and how it is paced. It is what "revengine pace --target"
// reads. A target file is YAML:
//
//	period: 2024-Q1          # revenue.ParsePeriod: 2024 | 2024-Q1 | 2024-03 | 2024-01-15..2024-06-30
//	amount_minor: 910000     # the target in minor units (cents), positive
//	currency: USD            # ISO 4217 code
//	by: month                # sub-periods: month (default) | quarter | none
//	split: days              # equal | days (default, calendar days) | working_days | weights
//	weights: [1, 2, 4]       # split: weights — one non-negative weight per sub-period
//	weekend: [saturday, sunday]   # calendar for working_days (default: no weekend)
//	holidays: [2024-01-01]   # calendar holidays, YYYY-MM-DD
//	pace: linear             # linear (default, elapsed days) | plan (by the split) | working_days
//	win_rate: 0.25           # optional, with average_deal_minor: pipeline still needed
//	average_deal_minor: 100000
//
// Parse, Load and LoadFile report every problem of a file at once, as a
// revenue.Errors of *revenue.Error sorted by position, each
// "name:line:col: key: message", matching ErrSpec (YAML that does not
// parse matches revenue.ErrSyntax as well, or instead). A Spec is a plain
// value, safe for concurrent use once built.
type Spec struct {
	Target   Target           // the period and amount
	By       string           // "month", "quarter" or "none": how Plan's parts were cut
	Plan     Plan             // Target split by its Split into the By sub-periods
	Method   Method           // how the total is paced
	Calendar revenue.Calendar // for working-day splits and pacing
	// Pipeline, when set, asks for the pipeline still needed (WithPipeline).
	Pipeline *Pipeline
}

// Pipeline is the win rate and average deal size of a target file's
// pipeline check.
type Pipeline struct {
	WinRate     float64
	AverageDeal money.Money
}

// ErrSpec is what every problem of a target file's content matches with
// errors.Is.
var ErrSpec = errors.New("goal: invalid target file")

// DefaultMaxSourceBytes is the default bound on a target file: it is a
// few lines of YAML.
const DefaultMaxSourceBytes = 1 << 20

// LoadOption is an optional setting of Load and LoadFile.
type LoadOption func(*loadConfig)

type loadConfig struct{ maxSize int64 }

// MaxSourceBytes bounds the bytes Load and LoadFile read (default
// DefaultMaxSourceBytes); a larger file is an error matching
// revenue.ErrLineTooLong.
func MaxSourceBytes(n int) LoadOption { return func(c *loadConfig) { c.maxSize = int64(n) } }

// Load reads and parses the target file r, called name in errors.
// A target file is small and bounded, so Load takes no context, like
// scoring.Load and survey.Load.
func Load(r io.Reader, name string, opts ...LoadOption) (*Spec, error) {
	cfg := loadConfig{maxSize: DefaultMaxSourceBytes}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.maxSize <= 0 {
		cfg.maxSize = DefaultMaxSourceBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, cfg.maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("goal: %s: %w", name, err)
	}
	if int64(len(data)) > cfg.maxSize {
		return nil, &diag.Error{File: name, Code: diag.CodeLimit, Err: diag.ErrLineTooLong,
			Msg: fmt.Sprintf("larger than %d bytes", cfg.maxSize)}
	}
	return Parse(name, data)
}

// LoadFile reads and parses the target file at path, called by its path in
// errors.
func LoadFile(path string, opts ...LoadOption) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("goal: %w", err)
	}
	defer f.Close()
	return Load(f, path, opts...)
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// maxList bounds the weights, weekend and holidays lists.
const maxList = 10000

// Parse parses the target file src, called name in errors. It never panics
// on any input.
func Parse(name string, src []byte) (spec *Spec, err error) {
	defer diag.Recover(&err, "goal: parse target file")
	w := yamlx.New(name, src)
	w.Sentinel = ErrSpec
	add := func(n *yaml.Node, key, format string, a ...any) {
		w.Errorf(n, diag.Subject{ID: key}, diag.CodeInvalid, format, a...)
	}
	root := w.Parse(src, "target file")
	if root == nil {
		return nil, w.Errs.Err()
	}
	if root.Kind != yaml.MappingNode {
		add(root, "", "the target file must be a mapping of keys to values")
		return nil, w.Errs.Err()
	}

	var (
		period                 revenue.Period
		periodNode, amountNode *yaml.Node
		amount                 int64
		cur                    money.Currency
		by, split, method      = "month", "days", "linear"
		splitNode, paceNode    *yaml.Node
		weights                []float64
		weightsNode            *yaml.Node
		cal                    revenue.Calendar
		calNode                *yaml.Node
		winRate                float64
		winNode, avgNode       *yaml.Node
		avgDeal                int64
		seen                   = map[string]bool{}
	)
	scalar := func(n *yaml.Node, field string) (string, bool) {
		if n.Kind != yaml.ScalarNode {
			add(n, field, "want a single value")
			return "", false
		}
		return strings.TrimSpace(n.Value), true
	}
	intOf := func(n *yaml.Node, field string) (int64, bool) {
		s, ok := scalar(n, field)
		if !ok {
			return 0, false
		}
		v, err := rows.ParseSigned(s) // the one amount grammar of every reader
		if err != nil {
			add(n, field, "%q is not an integer number of minor units", s)
			return 0, false
		}
		return v, true
	}
	floatOf := func(n *yaml.Node, field string) (float64, bool) {
		s, ok := scalar(n, field)
		if !ok {
			return 0, false
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			add(n, field, "%q is not a finite number", s)
			return 0, false
		}
		return v, true
	}
	list := func(n *yaml.Node, field string) []*yaml.Node {
		if n.Kind != yaml.SequenceNode {
			add(n, field, "want a list, e.g. [a, b]")
			return nil
		}
		if len(n.Content) > maxList {
			add(n, field, "more than %d entries", maxList)
			return nil
		}
		return n.Content
	}

	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if seen[key] {
			add(k, key, "repeated key")
			continue
		}
		seen[key] = true
		switch key {
		case "period":
			periodNode = v
			if s, ok := scalar(v, key); ok {
				p, err := revenue.ParsePeriod(s)
				if err != nil {
					add(v, key, "%v", err)
				} else {
					period = p
				}
			}
		case "amount_minor":
			amountNode = v
			if a, ok := intOf(v, key); ok {
				if a <= 0 {
					add(v, key, "the target must be positive, got %d", a)
				}
				amount = a
			}
		case "currency":
			if s, ok := scalar(v, key); ok {
				if err := money.Currency(s).Validate(); err != nil {
					add(v, key, "%q is not a three-letter upper-case ISO 4217 code", s)
				} else {
					cur = money.Currency(s)
				}
			}
		case "by":
			if s, ok := scalar(v, key); ok {
				if s != "month" && s != "quarter" && s != "none" {
					add(v, key, "%q: want month, quarter or none", s)
				}
				by = s
			}
		case "split":
			splitNode = v
			if s, ok := scalar(v, key); ok {
				switch s {
				case "equal", "days", "working_days", "weights":
				default:
					add(v, key, "%q: want equal, days, working_days or weights", s)
				}
				split = s
			}
		case "weights":
			weightsNode = v
			for _, x := range list(v, key) {
				if f, ok := floatOf(x, key); ok {
					if f < 0 {
						add(x, key, "weight %v is negative", f)
					}
					weights = append(weights, f)
				}
			}
		case "weekend":
			calNode = v
			for _, x := range list(v, key) {
				if s, ok := scalar(x, key); ok {
					d, known := weekdays[strings.ToLower(s)]
					if !known {
						add(x, key, "%q is not a weekday (monday … sunday)", s)
					}
					cal.Weekend = append(cal.Weekend, d)
				}
			}
		case "holidays":
			calNode = v
			for _, h := range list(v, key) {
				if s, ok := scalar(h, key); ok {
					d, err := time.Parse(time.DateOnly, s)
					if err != nil {
						add(h, key, "%q is not a date YYYY-MM-DD", s)
					}
					cal.Holidays = append(cal.Holidays, d)
				}
			}
		case "pace":
			paceNode = v
			if s, ok := scalar(v, key); ok {
				if s != "linear" && s != "plan" && s != "working_days" {
					add(v, key, "%q: want linear, plan or working_days", s)
				}
				method = s
			}
		case "win_rate":
			winNode = v
			if f, ok := floatOf(v, key); ok {
				if f <= 0 || f > 1 {
					add(v, key, "%v is not in (0, 1] (a fraction: 0.25, not 25)", f)
				}
				winRate = f
			}
		case "average_deal_minor":
			avgNode = v
			if a, ok := intOf(v, key); ok {
				if a <= 0 {
					add(v, key, "the average deal must be positive, got %d", a)
				}
				avgDeal = a
			}
		default:
			w.Errorf(k, diag.Subject{ID: key}, diag.CodeUnknownKey,
				"unknown key (want period, amount_minor, currency, by, split, weights, weekend, holidays, pace, win_rate, average_deal_minor)")
		}
	}
	for _, req := range []string{"period", "amount_minor", "currency"} {
		if !seen[req] {
			w.Errorf(root, diag.Subject{ID: req}, diag.CodeMissing, "missing")
		}
	}
	if (winNode == nil) != (avgNode == nil) {
		n := winNode
		if n == nil {
			n = avgNode
		}
		add(n, "", "win_rate and average_deal_minor go together")
	}
	if split == "weights" && weightsNode == nil && splitNode != nil {
		add(splitNode, "split", "weights needs a weights list")
	}
	if weightsNode != nil && split != "weights" {
		add(weightsNode, "weights", "given but split is %q, not weights", split)
	}
	if calNode != nil && split != "working_days" && method != "working_days" {
		add(calNode, "", "a calendar is given but neither split nor pace is working_days")
	}
	fail := func() (*Spec, error) {
		w.Errs.Sort()
		return nil, w.Errs.Err()
	}
	if len(w.Errs) > 0 {
		return fail()
	}

	spec = &Spec{Target: Target{Period: period, Amount: money.New(amount, cur)}, By: by, Method: Method(method), Calendar: cal}
	var parts []revenue.Period
	switch by {
	case "month":
		parts = period.Months()
	case "quarter":
		parts = period.Quarters()
	default:
		parts = []revenue.Period{period}
	}
	var s Split
	switch split {
	case "equal":
		s = SplitEqual()
	case "working_days":
		s = SplitByWorkingDays(cal)
	case "weights":
		if len(weights) != len(parts) {
			add(weightsNode, "weights", "%d weights for %d sub-periods (by %s of %s)", len(weights), len(parts), by, period)
			return fail()
		}
		s = SplitByWeights(weights...)
	default:
		s = SplitByDays()
	}
	spec.Plan, err = spec.Target.Split(s, parts)
	if err != nil {
		n := periodNode
		if splitNode != nil {
			n = splitNode
		}
		if errors.Is(err, money.ErrInvalidInput) && amountNode != nil && amount <= 0 {
			n = amountNode
		}
		add(n, "", "%v", err)
		return fail()
	}
	if method == "working_days" && cal.Validate() == nil && cal.WorkingDays(period) == 0 {
		n := paceNode
		if calNode != nil {
			n = calNode
		}
		add(n, "pace", "the calendar has no working day in %s", period)
		return fail()
	}
	if winNode != nil {
		spec.Pipeline = &Pipeline{WinRate: winRate, AverageDeal: money.New(avgDeal, cur)}
	}
	return spec, nil
}

// Options returns the pacing options the file asks for: its method and,
// with a pipeline check, WithPipeline.
func (s *Spec) Options() []PaceOption {
	var opts []PaceOption
	switch s.Method {
	case MethodPlan:
		opts = append(opts, WithPlanPace())
	case MethodWorkingDays:
		opts = append(opts, WithWorkingDayPace(s.Calendar))
	}
	if s.Pipeline != nil {
		opts = append(opts, WithPipeline(s.Pipeline.WinRate, s.Pipeline.AverageDeal))
	}
	return opts
}

// Pace paces the file's plan at the end of the day at against the actuals,
// with the file's options followed by opts, and records the file's By in
// the report.
func (s *Spec) Pace(ctx context.Context, actuals []Actual, at time.Time, opts ...PaceOption) (Report, error) {
	rep, err := s.Plan.Pace(ctx, actuals, at, append(s.Options(), opts...)...)
	if err != nil {
		return Report{}, err
	}
	rep.By = s.By
	return rep, nil
}
