package revbeam

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

// Period is the bucket of the funnel counts, in UTC.
type Period string

// Periods of FunnelCounts.
const (
	Day   Period = "day"   // "2026-11-30"
	Week  Period = "week"  // ISO 8601 week, "2026-W49"
	Month Period = "month" // "2026-11"
)

// ParsePeriod returns the period named s.
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case Day, Week, Month:
		return p, nil
	}
	return "", fmt.Errorf("%w: period %q: want day, week or month", ErrInvalidInput, s)
}

// Label returns the period's label of t (in UTC).
func (p Period) Label(t time.Time) string {
	t = t.UTC()
	switch p {
	case Week:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Month:
		return t.Format("2006-01")
	default:
		return t.Format("2006-01-02")
	}
}

// StageCount is a funnel cell: in one period, the leads in a stage after
// scoring and, of them, the leads that entered it in that evaluation.
type StageCount struct {
	Period  string `json:"period"`
	Stage   string `json:"stage"`
	Leads   int64  `json:"leads"`
	Entered int64  `json:"entered"`
}

type stageKeyFn struct{ Period Period }

func (f *stageKeyFn) ProcessElement(l ScoredLead) (string, StageCount) {
	c := StageCount{Period: f.Period.Label(time.Unix(0, l.At)), Stage: l.Stage, Leads: 1}
	if l.StageChanged {
		c.Entered = 1
	}
	return c.Period + "\x00" + c.Stage, c
}

func addStageCounts(a, b StageCount) StageCount {
	a.Leads += b.Leads
	a.Entered += b.Entered
	return a
}

func dropStageKey(_ string, c StageCount) StageCount { return c }

// FunnelCounts combines scored leads (ScoredLead) into StageCount per period
// and stage. Every scored lead is counted once: the leads of a period add up
// to the leads scored in it.
func FunnelCounts(s beam.Scope, period Period, scored beam.PCollection) beam.PCollection {
	s = s.Scope("revengine.FunnelCounts")
	keyed := beam.ParDo(s, &stageKeyFn{Period: period}, scored)
	return beam.ParDo(s, dropStageKey, beam.CombinePerKey(s, addStageCounts, keyed))
}

func stageCountJSON(c StageCount) (string, error) {
	b, err := json.Marshal(c)
	return string(b), err
}

// FunnelLines maps StageCount to JSON lines
// ({"period":…,"stage":…,"leads":…,"entered":…}).
func FunnelLines(s beam.Scope, counts beam.PCollection) beam.PCollection {
	return beam.ParDo(s, stageCountJSON, counts)
}

// sortLinesFn is a CombineFn collecting lines into one sorted text: for
// small outputs (model results, funnel counts) whose order must not depend on
// the runner.
type sortLinesFn struct{}

func (*sortLinesFn) CreateAccumulator() []string              { return nil }
func (*sortLinesFn) AddInput(a []string, s string) []string   { return append(a, s) }
func (*sortLinesFn) MergeAccumulators(a, b []string) []string { return append(a, b...) }
func (*sortLinesFn) ExtractOutput(a []string) string {
	slices.Sort(a)
	return strings.Join(a, "\n")
}

// SortedText combines a small PCollection of lines into one element, the
// lines sorted and joined by newlines, so that writing it gives the same
// bytes on every run and runner. Meant for small outputs only: it runs on one
// worker.
func SortedText(s beam.Scope, lines beam.PCollection) beam.PCollection {
	return beam.Combine(s.Scope("revengine.SortedText"), &sortLinesFn{}, lines)
}

func init() {
	register.DoFn1x2[ScoredLead, string, StageCount](&stageKeyFn{})
	register.Function2x1[StageCount, StageCount, StageCount](addStageCounts)
	register.Function2x1[string, StageCount, StageCount](dropStageKey)
	register.Function1x2[StageCount, string, error](stageCountJSON)
	register.Combiner3[[]string, string, string](&sortLinesFn{})
	beam.RegisterType(reflect.TypeOf((*StageCount)(nil)).Elem())
}
