package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/survey"
)

// Files names the input files of a view; every field is optional and a
// path may be CSV or JSON lines (see package record for the columns).
type Files struct {
	StageChanges  string // stage changes (record.ScanStageChanges)
	Scored        string // scoring results, JSON lines of scoring.Result; each stage change becomes a StageChange
	Deals         string // deals; in JSON lines with their touches
	Touches       string // touches of the deals, grouped by deal_id (CSV deals)
	Spend         string // spend rows
	Subscriptions string // subscription events
	// Survey and Responses, both or neither: an eNPS (or pulse) survey
	// definition (survey.LoadFile) and its responses CSV; the view then
	// carries the survey's report.
	Survey    string
	Responses string
}

// The file names DirFiles looks for, each with ".csv" or ".jsonl".
var dirNames = []string{"stage_changes", "scored", "deals", "touches", "spend", "subscriptions", "responses"}

// DirFiles returns the files of dir by their conventional names:
// stage_changes, scored, deals, touches, spend, subscriptions and
// responses, each ending in ".csv" or ".jsonl", and survey.yaml (the
// survey definition of the responses). A name present in both forms is an
// error; absent names are left empty.
func DirFiles(dir string) (Files, error) {
	var f Files
	slots := []*string{&f.StageChanges, &f.Scored, &f.Deals, &f.Touches, &f.Spend, &f.Subscriptions, &f.Responses}
	for i, n := range dirNames {
		for _, ext := range []string{".csv", ".jsonl"} {
			p := filepath.Join(dir, n+ext)
			if _, err := os.Stat(p); err == nil {
				if *slots[i] != "" {
					return f, fmt.Errorf("engine: %w: both %s and %s", ErrInvalidInput, *slots[i], p)
				}
				*slots[i] = p
			}
		}
	}
	if p := filepath.Join(dir, "survey.yaml"); f.Responses != "" {
		if _, err := os.Stat(p); err == nil {
			f.Survey = p
		}
	}
	if f == (Files{}) {
		return f, fmt.Errorf("engine: %w: %s has none of %v (.csv or .jsonl)", ErrEmptyInput, dir, dirNames)
	}
	return f, nil
}

// Read streams the files into the builder: every row is validated and every
// problem is returned, with its file, line and column, as a diag.List
// sorted by position (up to maxErrors; <= 0: record.DefaultMaxErrors) —
// nothing is dropped silently. Touches of CSV deals stream too: they must
// be grouped by deal_id (all rows of a deal together), so that a deal's
// touches are folded into the aggregates and dropped as soon as the next
// deal starts; only the deals themselves are held until then.
func (b *Builder) Read(ctx context.Context, f Files, maxErrors int, opts ...record.Option) (err error) {
	defer diag.Recover(&err, "engine: read")
	if maxErrors <= 0 {
		maxErrors = record.DefaultMaxErrors
	}
	opts = append([]record.Option{record.WithCurrency(b.cfg.Currency)}, opts...)
	var errs diag.List
	full := errors.New("too many problems")
	// problem records err; a non-positioned error (I/O, ctx) stops the read.
	problem := func(name string, err error) error {
		var e *diag.Error
		if !errors.As(err, &e) {
			return err
		}
		if e.File == "" {
			e.File = name
		}
		if len(errs) >= maxErrors {
			errs = append(errs, &diag.Error{File: name, Code: diag.CodeLimit, Err: ErrInvalidInput, Msg: fmt.Sprintf("more than %d problems; giving up", maxErrors)})
			return full
		}
		errs = append(errs, e)
		return nil
	}
	finish := func(err error) error {
		errs.Sort()
		if err != nil && err != full {
			return err
		}
		return errs.Err()
	}
	each := func(path string, read func(r io.Reader, name string) error) error {
		if path == "" {
			return nil
		}
		fh, err := os.Open(path)
		if err != nil {
			return err
		}
		defer fh.Close()
		return read(fh, path)
	}
	run := func(path string, read func(r io.Reader, name string) error) error {
		if err := each(path, read); err != nil {
			return finish(err)
		}
		return nil
	}
	if err := run(f.StageChanges, func(r io.Reader, name string) error {
		return drain(name, record.ScanStageChanges(ctx, r, name, opts...), b.AddStageChange, problem)
	}); err != nil {
		return err
	}
	if err := run(f.Scored, func(r io.Reader, name string) error {
		return jsonlines.Read(ctx, r, name, 0, func(it jsonlines.Item) error {
			if it.Err != nil {
				return problem(name, it.Err)
			}
			var res scoring.Result
			if err := json.Unmarshal(it.Data, &res); err != nil {
				return problem(name, &diag.Error{File: name, Line: it.Line, Code: diag.CodeSyntax, Err: diag.ErrSyntax, Msg: "not a scoring result: " + err.Error()})
			}
			c, ok := StageChange(b.rules, &res)
			if !ok {
				return nil
			}
			c.Line = it.Line
			if err := b.AddStageChange(c); err != nil {
				return problem(name, at(err, it.Line))
			}
			return nil
		})
	}); err != nil {
		return err
	}
	if f.Touches != "" && f.Deals == "" {
		return finish(fmt.Errorf("engine: %w: touches %s without a deals file", ErrInvalidInput, f.Touches))
	}
	if err := run(f.Deals, func(r io.Reader, name string) error {
		if f.Touches == "" {
			return drain(name, record.ScanDeals(ctx, r, name, opts...), b.AddDeal, problem)
		}
		return b.readDealsAndTouches(ctx, r, name, f.Touches, opts, problem)
	}); err != nil {
		return err
	}
	if err := run(f.Spend, func(r io.Reader, name string) error {
		return drain(name, record.ScanSpend(ctx, r, name, opts...), b.AddSpend, problem)
	}); err != nil {
		return err
	}
	if err := run(f.Subscriptions, func(r io.Reader, name string) error {
		return drain(name, record.ScanSubscriptionEvents(ctx, r, name, opts...), b.AddSubscriptionEvent, problem)
	}); err != nil {
		return err
	}
	if (f.Survey == "") != (f.Responses == "") {
		return finish(fmt.Errorf("engine: %w: a survey needs both its definition and its responses", ErrInvalidInput))
	}
	if f.Survey != "" {
		if err := b.readSurvey(ctx, f, problem); err != nil {
			return finish(err)
		}
	}
	return finish(nil)
}

// readSurvey reads the survey definition and responses and keeps the
// report; every rejected response is a problem.
func (b *Builder) readSurvey(ctx context.Context, f Files, problem func(string, error) error) error {
	s, err := survey.LoadFile(f.Survey)
	if err != nil {
		var l diag.List
		if errors.As(err, &l) {
			for _, e := range l {
				if err := problem(f.Survey, e); err != nil {
					return err
				}
			}
			return nil
		}
		return err
	}
	fh, err := os.Open(f.Responses)
	if err != nil {
		return err
	}
	defer fh.Close()
	batch, err := s.ReadResponses(ctx, fh, f.Responses)
	if err != nil {
		var l diag.List
		if errors.As(err, &l) {
			for _, e := range l {
				if err := problem(f.Responses, e); err != nil {
					return err
				}
			}
			return nil
		}
		return err
	}
	for _, rj := range batch.Rejected() {
		for _, e := range rj.Errors {
			if err := problem(f.Responses, e); err != nil {
				return err
			}
		}
	}
	rep, err := s.Report(ctx, batch)
	if err != nil {
		return problem(f.Survey, &diag.Error{File: f.Survey, Code: diag.CodeInvalid, Err: err, Msg: err.Error()})
	}
	b.survey = rep
	return nil
}

// at gives an unpositioned builder error the line it came from.
func at(err error, line int) error {
	var e *diag.Error
	if errors.As(err, &e) {
		if e.Line == 0 {
			e.Line = line
		}
		return e
	}
	return &diag.Error{Line: line, Code: diag.CodeInvalid, Err: err, Msg: err.Error()}
}

func drain[T any](name string, seq iter.Seq2[T, error], add func(T) error, problem func(string, error) error) error {
	for v, err := range seq {
		if err != nil {
			if err := problem(name, err); err != nil {
				return err
			}
			continue
		}
		if err := add(v); err != nil {
			if err := problem(name, at(err, lineOf(v))); err != nil {
				return err
			}
		}
	}
	return nil
}

func lineOf(v any) int {
	switch r := v.(type) {
	case record.StageChange:
		return r.Line
	case record.Deal:
		return r.Line
	case record.Spend:
		return r.Line
	case record.SubscriptionEvent:
		return r.Line
	}
	return 0
}

// readDealsAndTouches holds the deals (without touches), then streams the
// touches file group by group.
func (b *Builder) readDealsAndTouches(ctx context.Context, r io.Reader, name, touches string, opts []record.Option, problem func(string, error) error) error {
	deals := map[string]record.Deal{}
	var order []string
	for d, err := range record.ScanDeals(ctx, r, name, opts...) {
		if err != nil {
			if err := problem(name, err); err != nil {
				return err
			}
			continue
		}
		if len(d.Touches) > 0 {
			if err := problem(name, &diag.Error{File: name, Line: d.Line, ID: d.ID, Code: diag.CodeInvalid, Err: ErrInvalidInput, Msg: "deal with its own touches and a touches file"}); err != nil {
				return err
			}
			continue
		}
		deals[d.ID] = d
		order = append(order, d.ID)
	}
	fh, err := os.Open(touches)
	if err != nil {
		return err
	}
	defer fh.Close()
	done := map[string]int{} // deal id → line of its first touch
	var cur record.Deal
	var have bool
	flush := func() error {
		if !have {
			return nil
		}
		have = false
		if err := b.AddDeal(cur); err != nil {
			return problem(name, at(err, cur.Line))
		}
		return nil
	}
	for t, err := range record.ScanTouches(ctx, fh, touches, opts...) {
		if err != nil {
			if err := problem(touches, err); err != nil {
				return err
			}
			continue
		}
		if have && t.DealID == cur.ID {
			if len(cur.Touches) == record.MaxTouches {
				have = false // the deal is refused, not cut short
				if err := problem(touches, &diag.Error{File: touches, Line: t.Line, Column: 1, ID: "deal_id", Code: diag.CodeLimit, Err: ErrInvalidInput,
					Msg: fmt.Sprintf("deal %q has more than %d touches", t.DealID, record.MaxTouches)}); err != nil {
					return err
				}
				continue
			}
			cur.Touches = append(cur.Touches, t)
			continue
		}
		if !have && t.DealID == cur.ID && cur.ID != "" {
			continue // the rest of a refused deal's group
		}
		if err := flush(); err != nil {
			return err
		}
		if first, seen := done[t.DealID]; seen {
			if err := problem(touches, &diag.Error{File: touches, Line: t.Line, Column: 1, ID: "deal_id", Code: diag.CodeInvalid, Err: ErrInvalidInput,
				Msg: fmt.Sprintf("touches of deal %q are not grouped: its first group starts on line %d", t.DealID, first)}); err != nil {
				return err
			}
			continue
		}
		d, ok := deals[t.DealID]
		if !ok {
			if err := problem(touches, &diag.Error{File: touches, Line: t.Line, Column: 1, ID: "deal_id", Code: diag.CodeInvalid, Err: ErrInvalidInput,
				Msg: fmt.Sprintf("touch of deal %q, which %s does not have", t.DealID, name)}); err != nil {
				return err
			}
			continue
		}
		done[t.DealID] = t.Line
		delete(deals, t.DealID)
		cur, have = d, true
		cur.Touches = append(cur.Touches[:0:0], t)
	}
	if err := flush(); err != nil {
		return err
	}
	for _, id := range order { // deals without touches, in file order
		if d, ok := deals[id]; ok {
			if err := b.AddDeal(d); err != nil {
				if err := problem(name, at(err, d.Line)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
