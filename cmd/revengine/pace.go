package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/revenue"
)

func init() {
	register(&command{Name: "pace", Summary: "pace a revenue target against dated actuals at a date", Run: runPace})
}

const paceSynopsis = `--target FILE --actuals FILE --at YYYY-MM-DD [--json]

Paces a revenue target at the end of the day --at: actual to date,
attainment, expected to date, gap, run-rate projection, daily rate still
required and, with a win rate, the pipeline still needed; per sub-period and
in total. Exit status 1 when a file is invalid (every problem is listed as
FILE:LINE[:COLUMN]: field: message).

Target file (YAML):

  period: 2024-Q1          # 2024 | 2024-Q1 | 2024-03 | 2024-01-15..2024-06-30 (days included)
  amount_minor: 910000     # the target in minor units (cents), positive
  currency: USD            # ISO 4217 code
  by: month                # sub-periods: month (default) | quarter | none
  split: days              # equal | days (default, calendar days) | working_days | weights
  weights: [1, 2, 4]       # split: weights — one non-negative weight per sub-period
  weekend: [saturday, sunday]   # calendar for working_days (default: no weekend)
  holidays: [2024-01-01]   # calendar holidays, YYYY-MM-DD
  pace: linear             # linear (default, elapsed days) | plan (by the split) | working_days
  win_rate: 0.25           # optional, with average_deal_minor: pipeline still needed
  average_deal_minor: 100000

The split reconciles to the cent (largest remainder, ties to the earlier
sub-period).

Actuals file (CSV, UTF-8): one actual per row, "date,amount_minor[,currency]",
date YYYY-MM-DD, amount in minor units (zero or positive), currency defaulting
to the target's (another currency is an error). An optional header row
names the columns (date, amount_minor, currency, in any order); lines
starting with # are comments. "-" reads standard input.

Definitions (e = days of the period elapsed through --at, both included, of
D): expected = target x e/D (linear), projection = actual x D/e, required
per day = max(target - actual, 0)/(D - e), "-" when undefined.`

func runPace(ctx context.Context, env *cmdEnv, args []string) int {
	fs := newFlagSet(env, "pace", paceSynopsis)
	targetPath := fs.String("target", "", "target `FILE` (YAML, see above)")
	actualsPath := fs.String("actuals", "", "actuals `FILE` (CSV date,amount_minor[,currency]); - for standard input")
	atFlag := fs.String("at", "", "evaluation `DATE` (YYYY-MM-DD), as of the end of that day")
	asJSON := fs.Bool("json", false, "print JSON (money in minor units) instead of a table")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	case *targetPath == "":
		return usageError(fs, "--target is required")
	case *actualsPath == "":
		return usageError(fs, "--actuals is required")
	case *atFlag == "":
		return usageError(fs, "--at is required")
	case *targetPath == "-" && *actualsPath == "-":
		return usageError(fs, "--target and --actuals cannot both be standard input")
	}
	at, err := time.Parse(time.DateOnly, *atFlag)
	if err != nil {
		return usageError(fs, "--at %q: want a date YYYY-MM-DD", *atFlag)
	}

	r, name, err := openInput(env, *targetPath)
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	data, err := io.ReadAll(io.LimitReader(r, paceMaxFile+1))
	r.Close()
	if err == nil && len(data) > paceMaxFile {
		err = fmt.Errorf("%s: larger than %d bytes", name, paceMaxFile)
	}
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	spec, err := parsePaceTarget(name, data)
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}

	r, name, err = openInput(env, *actualsPath)
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	actuals, err := readPaceActuals(ctx, name, r, spec.target.Amount.Currency)
	r.Close()
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}

	rep, err := spec.goal.Pace(ctx, actuals, at, spec.opts...)
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	if *asJSON {
		err = writePaceJSON(env.Stdout, spec, rep)
	} else {
		err = writePaceTable(env.Stdout, spec, rep)
	}
	if err != nil {
		errorf(env, "pace", "%v", err)
		return exitFindings
	}
	return exitOK
}

// paceMaxFile bounds the target file; it is a few lines of YAML.
const paceMaxFile = 1 << 20

// paceSpec is a parsed target file.
type paceSpec struct {
	target revenue.Target
	goal   revenue.Goal
	by     string // month, quarter, none
	split  string
	method revenue.PaceMethod
	opts   []revenue.PaceOption
}

// paceProblems collects positioned problems and reports them sorted.
type paceProblems struct {
	name string
	list []paceProblem
}

type paceProblem struct {
	line, col int
	msg       string
}

func (ps *paceProblems) add(line, col int, field, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if field != "" {
		msg = field + ": " + msg
	}
	ps.list = append(ps.list, paceProblem{line, col, msg})
}

// err returns every problem, one per line in position order, or nil.
func (ps *paceProblems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sort.SliceStable(ps.list, func(i, j int) bool {
		a, b := ps.list[i], ps.list[j]
		return a.line < b.line || (a.line == b.line && a.col < b.col)
	})
	const max = 50
	var lines []string
	for i, p := range ps.list {
		if i == max {
			lines = append(lines, fmt.Sprintf("... and %d more problems", len(ps.list)-max))
			break
		}
		pos := fmt.Sprintf("%s:%d", ps.name, p.line)
		if p.col > 0 {
			pos += fmt.Sprintf(":%d", p.col)
		}
		lines = append(lines, pos+": "+p.msg)
	}
	return errors.New(strings.Join(lines, "\n"))
}

var paceYAMLLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

var paceRangeRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$`)

// parsePacePeriod reads 2024, 2024-Q1, 2024-03 or 2024-01-15..2024-06-30.
func parsePacePeriod(s string) (revenue.Period, error) {
	bad := fmt.Errorf("%q is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD", s)
	if m := paceRangeRE.FindStringSubmatch(s); m != nil {
		first, err1 := time.Parse(time.DateOnly, m[1])
		last, err2 := time.Parse(time.DateOnly, m[2])
		if err1 != nil || err2 != nil {
			return revenue.Period{}, bad
		}
		return revenue.Range(first, last)
	}
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1 {
			return revenue.Period{}, bad
		}
		return revenue.Year(y), nil
	}
	if len(s) == 7 && s[4] == '-' {
		y, err := strconv.Atoi(s[:4])
		if err != nil || y < 1 {
			return revenue.Period{}, bad
		}
		if s[5] == 'Q' {
			q, err := strconv.Atoi(s[6:])
			if err != nil {
				return revenue.Period{}, bad
			}
			return revenue.Quarter(y, q)
		}
		m, err := strconv.Atoi(s[5:])
		if err != nil || m < 1 || m > 12 || s[5] == '+' || s[5] == '-' {
			return revenue.Period{}, bad
		}
		return revenue.Month(y, time.Month(m)), nil
	}
	return revenue.Period{}, bad
}

var paceWeekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// parsePaceTarget reads a target file; every problem is reported with its
// position. It never panics on any input.
func parsePaceTarget(name string, data []byte) (spec paceSpec, err error) {
	ps := &paceProblems{name: name}
	doc, err := paceDecodeYAML(data)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return paceSpec{}, fmt.Errorf("%s: empty target file", name)
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := paceYAMLLineRE.FindStringSubmatch(msg); m != nil {
			return paceSpec{}, fmt.Errorf("%s:%s: %s", name, m[1], m[2]) // file:line like every other problem
		}
		return paceSpec{}, fmt.Errorf("%s: %s", name, msg)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return paceSpec{}, fmt.Errorf("%s:%d:%d: the target file must be a mapping of keys to values", name, doc.Line, doc.Column)
	}
	root := doc.Content[0]

	var (
		period                 revenue.Period
		periodNode, amountNode *yaml.Node
		amount                 int64
		cur                    revenue.Currency
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
			ps.add(n.Line, n.Column, field, "want a single value")
			return "", false
		}
		return strings.TrimSpace(n.Value), true
	}
	intOf := func(n *yaml.Node, field string) (int64, bool) {
		s, ok := scalar(n, field)
		if !ok {
			return 0, false
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			ps.add(n.Line, n.Column, field, "%q is not an integer number of minor units", s)
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
			ps.add(n.Line, n.Column, field, "%q is not a finite number", s)
			return 0, false
		}
		return v, true
	}
	list := func(n *yaml.Node, field string) []*yaml.Node {
		if n.Kind != yaml.SequenceNode {
			ps.add(n.Line, n.Column, field, "want a list, e.g. [a, b]")
			return nil
		}
		if len(n.Content) > 10000 {
			ps.add(n.Line, n.Column, field, "more than 10000 entries")
			return nil
		}
		return n.Content
	}

	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if seen[key] {
			ps.add(k.Line, k.Column, key, "repeated key")
			continue
		}
		seen[key] = true
		switch key {
		case "period":
			periodNode = v
			if s, ok := scalar(v, key); ok {
				p, err := parsePacePeriod(s)
				if err != nil {
					ps.add(v.Line, v.Column, key, "%v", err)
				} else {
					period = p
				}
			}
		case "amount_minor":
			amountNode = v
			if a, ok := intOf(v, key); ok {
				if a <= 0 {
					ps.add(v.Line, v.Column, key, "the target must be positive, got %d", a)
				}
				amount = a
			}
		case "currency":
			if s, ok := scalar(v, key); ok {
				if err := revenue.Currency(s).Validate(); err != nil {
					ps.add(v.Line, v.Column, key, "%q is not a three-letter upper-case ISO 4217 code", s)
				} else {
					cur = revenue.Currency(s)
				}
			}
		case "by":
			if s, ok := scalar(v, key); ok {
				if s != "month" && s != "quarter" && s != "none" {
					ps.add(v.Line, v.Column, key, "%q: want month, quarter or none", s)
				}
				by = s
			}
		case "split":
			splitNode = v
			if s, ok := scalar(v, key); ok {
				switch s {
				case "equal", "days", "working_days", "weights":
				default:
					ps.add(v.Line, v.Column, key, "%q: want equal, days, working_days or weights", s)
				}
				split = s
			}
		case "weights":
			weightsNode = v
			for _, w := range list(v, key) {
				if f, ok := floatOf(w, key); ok {
					if f < 0 {
						ps.add(w.Line, w.Column, key, "weight %v is negative", f)
					}
					weights = append(weights, f)
				}
			}
		case "weekend":
			calNode = v
			for _, w := range list(v, key) {
				if s, ok := scalar(w, key); ok {
					d, known := paceWeekdays[strings.ToLower(s)]
					if !known {
						ps.add(w.Line, w.Column, key, "%q is not a weekday (monday … sunday)", s)
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
						ps.add(h.Line, h.Column, key, "%q is not a date YYYY-MM-DD", s)
					}
					cal.Holidays = append(cal.Holidays, d)
				}
			}
		case "pace":
			paceNode = v
			if s, ok := scalar(v, key); ok {
				if s != "linear" && s != "plan" && s != "working_days" {
					ps.add(v.Line, v.Column, key, "%q: want linear, plan or working_days", s)
				}
				method = s
			}
		case "win_rate":
			winNode = v
			if f, ok := floatOf(v, key); ok {
				if f <= 0 || f > 1 {
					ps.add(v.Line, v.Column, key, "%v is not in (0, 1] (a fraction: 0.25, not 25)", f)
				}
				winRate = f
			}
		case "average_deal_minor":
			avgNode = v
			if a, ok := intOf(v, key); ok {
				if a <= 0 {
					ps.add(v.Line, v.Column, key, "the average deal must be positive, got %d", a)
				}
				avgDeal = a
			}
		default:
			ps.add(k.Line, k.Column, key, "unknown key (want period, amount_minor, currency, by, split, weights, weekend, holidays, pace, win_rate, average_deal_minor)")
		}
	}
	for _, req := range []string{"period", "amount_minor", "currency"} {
		if !seen[req] {
			ps.add(root.Line, root.Column, req, "missing")
		}
	}
	if (winNode == nil) != (avgNode == nil) {
		n := winNode
		if n == nil {
			n = avgNode
		}
		ps.add(n.Line, n.Column, "", "win_rate and average_deal_minor go together")
	}
	if split == "weights" && weightsNode == nil && splitNode != nil {
		ps.add(splitNode.Line, splitNode.Column, "split", "weights needs a weights list")
	}
	if weightsNode != nil && split != "weights" {
		ps.add(weightsNode.Line, weightsNode.Column, "weights", "given but split is %q, not weights", split)
	}
	if calNode != nil && split != "working_days" && method != "working_days" {
		ps.add(calNode.Line, calNode.Column, "", "a calendar is given but neither split nor pace is working_days")
	}
	if err := ps.err(); err != nil {
		return paceSpec{}, err
	}

	spec = paceSpec{target: revenue.Target{Period: period, Amount: revenue.New(amount, cur)}, by: by, split: split,
		method: revenue.PaceMethod(method)}
	var parts []revenue.Period
	switch by {
	case "month":
		parts = period.Months()
	case "quarter":
		parts = revenue.CalendarQuarters(period)
	default:
		parts = []revenue.Period{period}
	}
	var s revenue.Split
	switch split {
	case "equal":
		s = revenue.SplitEqual()
	case "working_days":
		s = revenue.SplitByWorkingDays(cal)
	case "weights":
		if len(weights) != len(parts) {
			ps.add(weightsNode.Line, weightsNode.Column, "weights", "%d weights for %d sub-periods (by %s of %s)", len(weights), len(parts), by, period)
			return paceSpec{}, ps.err()
		}
		s = revenue.SplitByWeights(weights...)
	default:
		s = revenue.SplitByDays()
	}
	spec.goal, err = spec.target.Split(s, parts)
	if err != nil {
		n := periodNode
		if splitNode != nil {
			n = splitNode
		}
		if errors.Is(err, revenue.ErrInvalidInput) && amountNode != nil && amount <= 0 {
			n = amountNode
		}
		ps.add(n.Line, n.Column, "", "%v", err)
		return paceSpec{}, ps.err()
	}
	switch method {
	case "plan":
		spec.opts = append(spec.opts, revenue.PaceByPlan())
	case "working_days":
		if cal.Validate() == nil && cal.WorkingDays(period) == 0 {
			n := paceNode
			if calNode != nil {
				n = calNode
			}
			ps.add(n.Line, n.Column, "pace", "the calendar has no working day in %s", period)
			return paceSpec{}, ps.err()
		}
		spec.opts = append(spec.opts, revenue.PaceByWorkingDays(cal))
	}
	if winNode != nil {
		spec.opts = append(spec.opts, revenue.PacePipeline(winRate, revenue.New(avgDeal, cur)))
	}
	return spec, nil
}

// paceDecodeYAML decodes the first YAML document into a node tree; a panic
// in the decoder becomes an error, so no input can take the CLI down.
func paceDecodeYAML(data []byte) (doc yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid YAML: %v", r)
		}
	}()
	err = yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	return doc, err
}

// readPaceActuals reads the actuals CSV; every bad row is reported with its
// line. Rows without a currency take cur; another currency is an error.
func readPaceActuals(ctx context.Context, name string, r io.Reader, cur revenue.Currency) ([]revenue.PaceActual, error) {
	ps := &paceProblems{name: name}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.ReuseRecord = true
	cols := map[string]int{"date": 0, "amount_minor": 1, "currency": 2}
	var out []revenue.PaceActual
	first := true
	headerLen := 0 // fields of the header row; 0 without one
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				ps.add(pe.Line, pe.Column, "", "%v", pe.Err)
				if len(ps.list) > 1000 {
					break
				}
				continue
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff"))) {
			case "date", "amount_minor", "currency":
				cols = map[string]int{}
				headerLen = len(rec)
				for i, h := range rec {
					h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
					switch h {
					case "date", "amount_minor", "currency":
						if _, dup := cols[h]; dup {
							ps.add(line, i+1, h, "repeated column")
						}
						cols[h] = i
					default:
						ps.add(line, i+1, "header", "unknown column %q (want date, amount_minor, currency)", h)
					}
				}
				for _, req := range []string{"date", "amount_minor"} {
					if _, ok := cols[req]; !ok {
						ps.add(line, 0, "header", "missing column %q", req)
					}
				}
				if err := ps.err(); err != nil {
					return nil, err
				}
				continue
			}
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
		}
		if headerLen == 0 && (len(rec) < 2 || len(rec) > 3) {
			ps.add(line, 0, "", "%d fields, want date,amount_minor[,currency]", len(rec))
			continue
		}
		if headerLen > 0 && len(rec) != headerLen {
			ps.add(line, 0, "", "%d fields, the header has %d", len(rec), headerLen)
			continue
		}
		get := func(col string) (string, int) {
			i, ok := cols[col]
			if !ok || i >= len(rec) {
				return "", 0
			}
			return strings.TrimSpace(rec[i]), i + 1
		}
		ok := true
		ds, dc := get("date")
		d, err := time.Parse(time.DateOnly, ds)
		if err != nil {
			ps.add(line, dc, "date", "%q is not a date YYYY-MM-DD", ds)
			ok = false
		}
		as, ac := get("amount_minor")
		a, err := strconv.ParseInt(as, 10, 64)
		switch {
		case err != nil:
			ps.add(line, ac, "amount_minor", "%q is not an integer number of minor units", as)
			ok = false
		case a < 0:
			ps.add(line, ac, "amount_minor", "negative amount %d (actuals must be zero or positive; net refunds into the day's actual)", a)
			ok = false
		}
		c := cur
		if cs, cc := get("currency"); cs != "" {
			if cs != string(cur) {
				ps.add(line, cc, "currency", "%q, but the target is in %s (mixed currencies)", cs, cur)
				ok = false
			}
		}
		if ok {
			out = append(out, revenue.PaceActual{Date: d, Amount: revenue.New(a, c)})
		}
		if len(ps.list) > 1000 {
			break
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// paceAmount formats money without its currency (the table states it once).
func paceAmount(m revenue.Money) string {
	return strings.TrimPrefix(m.String(), string(m.Currency)+" ")
}

func writePaceTable(w io.Writer, spec paceSpec, rep revenue.PaceReport) error {
	t := spec.target
	var b strings.Builder
	fmt.Fprintf(&b, "target %s %v, split %s by %s, pace %s, at end of %s\n",
		t.Period, t.Amount, spec.split, spec.by, rep.Method, rep.At.Format(time.DateOnly))
	fmt.Fprintf(&b, "actuals: %d counted, %d after %s, %d outside the period\n\n",
		rep.Counted, rep.Later, rep.At.Format(time.DateOnly), rep.Outside)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "period\tdays\ttarget\tactual\tattain\texpected\tgap\tprojection\tremaining\treq/day\t")
	row := func(label string, p revenue.Pace) {
		att := "-"
		if p.Attainment != nil {
			att = strconv.FormatFloat(100**p.Attainment, 'f', 1, 64) + "%"
		}
		opt := func(m *revenue.Money) string {
			if m == nil {
				return "-"
			}
			return paceAmount(*m)
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", label, p.ElapsedDays, p.TotalDays,
			paceAmount(p.Target), paceAmount(p.Actual), att, paceAmount(p.Expected), paceAmount(p.Gap),
			opt(p.Projection), paceAmount(p.Remaining), opt(p.RequiredDaily))
	}
	if len(rep.Parts) > 1 {
		for _, p := range rep.Parts {
			row(p.Period.String(), p)
		}
	}
	row("total", rep.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	if pl := rep.Total.Pipeline; pl != nil {
		fmt.Fprintf(&b, "\npipeline still needed: %s (%s deals of %s at a %s win rate; required coverage %sx)\n",
			paceAmount(pl.Needed), strconv.FormatFloat(pl.Deals, 'f', 2, 64), paceAmount(pl.AverageDeal),
			strconv.FormatFloat(100*pl.WinRate, 'f', -1, 64)+"%", strconv.FormatFloat(pl.RequiredCoverage, 'f', 2, 64))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type paceJSONPipeline struct {
	WinRate          float64 `json:"win_rate"`
	AverageDealMinor int64   `json:"average_deal_minor"`
	NeededMinor      int64   `json:"needed_minor"`
	Deals            float64 `json:"deals"`
	RequiredCoverage float64 `json:"required_coverage"`
}

type paceJSONRow struct {
	Period             string            `json:"period"`
	First              string            `json:"first_day"`
	Last               string            `json:"last_day"`
	TotalDays          int               `json:"total_days"`
	ElapsedDays        int               `json:"elapsed_days"`
	RemainingDays      int               `json:"remaining_days"`
	TargetMinor        int64             `json:"target_minor"`
	ActualMinor        int64             `json:"actual_minor"`
	Actuals            int               `json:"actuals"`
	Attainment         *float64          `json:"attainment"`
	ExpectedShare      float64           `json:"expected_share"`
	ExpectedMinor      int64             `json:"expected_minor"`
	GapMinor           int64             `json:"gap_minor"`
	ProjectionMinor    *int64            `json:"projection_minor"`
	RemainingMinor     int64             `json:"remaining_minor"`
	RequiredDailyMinor *int64            `json:"required_daily_minor"`
	Pipeline           *paceJSONPipeline `json:"pipeline,omitempty"`
}

type paceJSON struct {
	At       string        `json:"at"`
	Period   string        `json:"period"`
	Currency string        `json:"currency"`
	Split    string        `json:"split"`
	By       string        `json:"by"`
	Method   string        `json:"method"`
	Counted  int           `json:"counted"`
	Later    int           `json:"later"`
	Outside  int           `json:"outside"`
	Total    paceJSONRow   `json:"total"`
	Parts    []paceJSONRow `json:"parts"`
}

func paceRow(p revenue.Pace) paceJSONRow {
	minor := func(m *revenue.Money) *int64 {
		if m == nil {
			return nil
		}
		v := m.Amount
		return &v
	}
	r := paceJSONRow{
		Period: p.Period.String(), First: p.Period.Start.Format(time.DateOnly), Last: p.Period.Last().Format(time.DateOnly),
		TotalDays: p.TotalDays, ElapsedDays: p.ElapsedDays, RemainingDays: p.RemainingDays,
		TargetMinor: p.Target.Amount, ActualMinor: p.Actual.Amount, Actuals: p.Actuals, Attainment: p.Attainment,
		ExpectedShare: p.ExpectedShare, ExpectedMinor: p.Expected.Amount, GapMinor: p.Gap.Amount,
		ProjectionMinor: minor(p.Projection), RemainingMinor: p.Remaining.Amount, RequiredDailyMinor: minor(p.RequiredDaily),
	}
	if pl := p.Pipeline; pl != nil {
		r.Pipeline = &paceJSONPipeline{WinRate: pl.WinRate, AverageDealMinor: pl.AverageDeal.Amount,
			NeededMinor: pl.Needed.Amount, Deals: pl.Deals, RequiredCoverage: pl.RequiredCoverage}
	}
	return r
}

func writePaceJSON(w io.Writer, spec paceSpec, rep revenue.PaceReport) error {
	out := paceJSON{
		At: rep.At.Format(time.DateOnly), Period: spec.target.Period.String(), Currency: string(spec.target.Amount.Currency),
		Split: spec.split, By: spec.by, Method: string(rep.Method),
		Counted: rep.Counted, Later: rep.Later, Outside: rep.Outside,
		Total: paceRow(rep.Total), Parts: make([]paceJSONRow, len(rep.Parts)),
	}
	for i, p := range rep.Parts {
		out.Parts[i] = paceRow(p)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
