package revbeam

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
)

// Metric namespace and counter names of the attribution transforms.
const (
	AttributionNamespace = "revengine.attribution"
	// CounterJourneys counts journey parts read from the shards (a journey
	// split over n files counts n times).
	CounterJourneys = "journey_parts_read"
	// CounterRejected counts dead-lettered lines, files and journeys.
	CounterRejected = "rejected"
)

// AttributionConfig configures the Attribution transform. The zero value reads
// USD journeys with the default half-life, no lookback window, and runs every
// model of attribution.Models with their defaults.
type AttributionConfig struct {
	// Currency of the values (default attribution.DefaultCurrency).
	Currency string
	// HalfLife of the time-decay model (default attribution.DefaultHalfLife).
	HalfLife time.Duration
	// Lookback window (0: none).
	Lookback time.Duration
	// Models to run, by name (default: attribution.Models()).
	Models []string
	// MarkovOrder is the order of the Markov chain (default 1).
	MarkovOrder int
	// Grouped declares that no journey is split over several files, which
	// saves the shuffle that groups touches by journey id. A journey that is
	// split anyway is then counted twice: leave it false unless you know.
	Grouped bool
}

func (c AttributionConfig) options() []attribution.Option {
	var o []attribution.Option
	if c.Currency != "" {
		o = append(o, attribution.WithCurrency(money.Currency(c.Currency)))
	}
	if c.HalfLife != 0 {
		o = append(o, attribution.WithHalfLife(c.HalfLife))
	}
	if c.Lookback != 0 {
		o = append(o, attribution.WithLookback(c.Lookback))
	}
	return o
}

func (c AttributionConfig) models() []string {
	if len(c.Models) == 0 {
		return attribution.Models()
	}
	return c.Models
}

// Validate reports an unknown model name or an invalid option before a
// pipeline is built.
func (c AttributionConfig) Validate() error {
	for _, name := range c.models() {
		if _, err := attribution.ModelByName(name, c.modelOptions()...); err != nil {
			return err
		}
	}
	if c.HalfLife < 0 || c.Lookback < 0 {
		return fmt.Errorf("%w: half-life and lookback must not be negative", ErrInvalidInput)
	}
	// An aggregate with an invalid option refuses every journey.
	if err := attribution.NewAggregate(c.options()...).Add(attribution.Journey{ID: "check"}); err != nil {
		return err
	}
	return nil
}

func (c AttributionConfig) modelOptions() []attribution.ModelOption {
	if c.MarkovOrder > 0 {
		return []attribution.ModelOption{attribution.WithOrder(c.MarkovOrder)}
	}
	return nil
}

// JourneyPart is one journey's touches as read from one file: the element that
// travels between the read, grouping and combining stages. Times are Unix
// nanoseconds (UTC); ConvTime is meaningful only when Converted.
type JourneyPart struct {
	ID         string
	File       string
	Line       int64 // first line of the journey in File
	Channels   []string
	Times      []int64
	Campaigns  []string
	Lead       []bool
	Opp        []bool
	Converted  bool
	ValueMinor int64
	Currency   string
	ConvTime   int64
}

func (p *JourneyPart) where() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

func partOf(j *attribution.Journey, file string, line int) JourneyPart {
	p := JourneyPart{ID: j.ID, File: file, Line: int64(line), Converted: j.Converted,
		ValueMinor: j.Value.Amount, Currency: string(j.Value.Currency)}
	if j.Converted {
		p.ConvTime = j.ConversionTime.UnixNano()
	}
	n := len(j.Touches)
	p.Channels, p.Times, p.Campaigns = make([]string, n), make([]int64, n), make([]string, n)
	p.Lead, p.Opp = make([]bool, n), make([]bool, n)
	for i, t := range j.Touches {
		p.Channels[i], p.Times[i], p.Campaigns[i] = t.Channel, t.Time.UnixNano(), t.Campaign
		p.Lead[i], p.Opp[i] = t.LeadCreated, t.OppCreated
	}
	return p
}

// journey converts the part back into an attribution.Journey.
func (p *JourneyPart) journey() attribution.Journey {
	j := attribution.Journey{ID: p.ID, Converted: p.Converted,
		Value: money.Money{Amount: p.ValueMinor, Currency: money.Currency(p.Currency)}}
	if p.Converted {
		j.ConversionTime = time.Unix(0, p.ConvTime).UTC()
	}
	j.Touches = make([]attribution.Touchpoint, len(p.Channels))
	for i := range p.Channels {
		j.Touches[i] = attribution.Touchpoint{Channel: p.Channels[i], Time: time.Unix(0, p.Times[i]).UTC(),
			Campaign: p.Campaigns[i], LeadCreated: p.Lead[i], OppCreated: p.Opp[i]}
	}
	return j
}

// readTouchesFn reads one touch CSV file with attribution.TouchReader.
type readTouchesFn struct {
	Currency string

	parts, rejected beam.Counter
}

func (f *readTouchesFn) Setup() {
	f.parts = beam.NewCounter(AttributionNamespace, CounterJourneys)
	f.rejected = beam.NewCounter(AttributionNamespace, CounterRejected)
}

func (f *readTouchesFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(string, JourneyPart), reject func(string)) error {
	name := file.Metadata.Path
	rc, err := file.Open(ctx)
	if err != nil {
		return fmt.Errorf("revbeam: %s: %w", name, err)
	}
	defer rc.Close()
	var opts []attribution.Option
	if f.Currency != "" {
		opts = append(opts, attribution.WithCurrency(money.Currency(f.Currency)))
	}
	tr, err := attribution.NewTouchReader(ctx, rc, name, opts...)
	if err != nil {
		// A bad header makes the whole file unreadable: each of its problems
		// is a reject, the last one saying so.
		msgs := errorLines(name, err)
		msgs[len(msgs)-1] += " (whole file rejected)"
		for _, m := range msgs {
			reject(m)
		}
		f.rejected.Inc(ctx, int64(len(msgs)))
		return nil
	}
	// A bad line is reported once the next call shows whether the reader
	// went on after it (a reader that cannot go on repeats the error).
	var pending string
	flush := func(suffix string) {
		if pending != "" {
			reject(pending + suffix)
			f.rejected.Inc(ctx, 1)
			pending = ""
		}
	}
	for {
		j, err := tr.Next()
		if err == io.EOF {
			flush("")
			return nil
		}
		if err != nil {
			var e *attribution.Error
			if !errors.As(err, &e) {
				flush("")
				return fmt.Errorf("revbeam: %s: %w", name, err)
			}
			msg := fileMessage(name, err)
			if msg == pending {
				flush(" (rest of file not read)")
				return nil
			}
			flush("")
			pending = msg
			continue
		}
		flush("")
		f.parts.Inc(ctx, 1)
		emit(j.ID, partOf(j, name, tr.Line()))
	}
}

// errorLines returns the problems of err, one message each.
func errorLines(name string, err error) []string {
	var list attribution.Errors
	if errors.As(err, &list) && len(list) > 0 {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = fileMessage(name, e)
		}
		return out
	}
	return []string{fileMessage(name, err)}
}

// fileMessage formats an error as "name: msg" unless it already starts with
// its position in name.
func fileMessage(name string, err error) string {
	var e *attribution.Error
	if errors.As(err, &e) && e.File == name {
		return err.Error()
	}
	return name + ": " + err.Error()
}

// assembleFn joins the parts of one journey (touches of the same journey id
// from several files) into one journey in time order, and validates it the
// way Aggregate.Add does, dead-lettering what the aggregate would refuse.
type assembleFn struct {
	AttributionConfig

	check    *attribution.Aggregate
	rejected beam.Counter
}

func (f *assembleFn) Setup() {
	f.rejected = beam.NewCounter(AttributionNamespace, CounterRejected)
}

func (f *assembleFn) ProcessElement(ctx context.Context, id string, iter func(*JourneyPart) bool, emit func(JourneyPart), reject func(string)) {
	var parts []JourneyPart
	var p JourneyPart
	for iter(&p) {
		parts = append(parts, p)
		p = JourneyPart{}
	}
	j, err := assemble(parts)
	if err == nil {
		err = f.validate(j)
	}
	if err != nil {
		f.rejected.Inc(ctx, 1)
		reject(err.Error())
		return
	}
	emit(j)
}

// validate adds the journey to a scratch aggregate with the pipeline's
// options: what it refuses, the combiner would refuse.
func (f *assembleFn) validate(p JourneyPart) error {
	if f.check == nil {
		f.check = attribution.NewAggregate(f.options()...)
	}
	if err := f.check.Add(p.journey()); err != nil {
		return fmt.Errorf("%s: journey %q: %w", p.where(), p.ID, err)
	}
	return nil
}

// assemble merges the parts of one journey, sorted by file and line so the
// result does not depend on the order the runner delivers them in; touches
// are put in time order, equal times ordered as attribution's reader orders
// them. The journey level columns must agree.
func assemble(parts []JourneyPart) (JourneyPart, error) {
	slices.SortFunc(parts, func(a, b JourneyPart) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	first := parts[0]
	out := first
	type touch struct {
		ch, camp  string
		t         int64
		lead, opp bool
	}
	var ts []touch
	for k, p := range parts {
		if k > 0 && (p.Converted != first.Converted || p.ValueMinor != first.ValueMinor ||
			p.ConvTime != first.ConvTime || p.Currency != first.Currency) {
			return out, fmt.Errorf("%s: journey %q: %w: converted, value_minor, conversion_time or currency differ from its part at %s",
				p.where(), p.ID, attribution.ErrInvalidJourney, first.where())
		}
		for i := range p.Channels {
			ts = append(ts, touch{p.Channels[i], p.Campaigns[i], p.Times[i], p.Lead[i], p.Opp[i]})
		}
	}
	// The order attribution's own reader gives equal-time touches (by
	// channel name, campaign, then lead and opportunity flags, then input
	// order), so that a journey's credits do not depend on the file order
	// of simultaneous touches — and equal the single-process result.
	flags := func(t touch) int {
		f := 0
		if t.lead {
			f |= 1
		}
		if t.opp {
			f |= 2
		}
		return f
	}
	slices.SortStableFunc(ts, func(a, b touch) int {
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.ch, b.ch), cmp.Compare(a.camp, b.camp), cmp.Compare(flags(a), flags(b)))
	})
	n := len(ts)
	out.Channels, out.Times, out.Campaigns = make([]string, n), make([]int64, n), make([]string, n)
	out.Lead, out.Opp = make([]bool, n), make([]bool, n)
	for i, t := range ts {
		out.Channels[i], out.Campaigns[i], out.Times[i], out.Lead[i], out.Opp[i] = t.ch, t.camp, t.t, t.lead, t.opp
	}
	return out, nil
}

// dropKeyFn turns the keyed output of the read stage into journeys, when
// journeys are known not to span files. It orders equal-time touches as the
// grouping path does (assemble), which is how attribution's any-order reader
// orders them: without it a Grouped run credited first and last touches of
// simultaneous touches in file order, unlike the single-process run.
func dropKeyFn(_ string, p JourneyPart) JourneyPart {
	out, _ := assemble([]JourneyPart{p}) // one part: nothing to disagree with
	return out
}

// aggregateFn is the CombineFn building the path aggregate: AddInput is
// Aggregate.Add, MergeAccumulators is Aggregate.Merge.
type aggregateFn struct {
	AttributionConfig
}

func (f *aggregateFn) CreateAccumulator() *PathAggregate {
	return newPathAggregate(f.HalfLife, f.Lookback, f.Currency)
}

func (f *aggregateFn) AddInput(a *PathAggregate, p JourneyPart) (*PathAggregate, error) {
	if a == nil {
		a = f.CreateAccumulator()
	}
	if err := a.add(p); err != nil {
		return nil, fmt.Errorf("revbeam: %s: journey %q: %w", p.where(), p.ID, err)
	}
	return a, nil
}

func (f *aggregateFn) MergeAccumulators(a, b *PathAggregate) (*PathAggregate, error) {
	if a == nil {
		return b, nil
	}
	if err := a.merge(b); err != nil {
		return nil, fmt.Errorf("revbeam: merging aggregates: %w", err)
	}
	return a, nil
}

func (f *aggregateFn) ExtractOutput(a *PathAggregate) *PathAggregate { return a }

// ModelResult is one model's outcome on the combined aggregate: the model
// name, and its attribution.Result or the error it returned (for example
// attribution.ErrNoConversions). It is written as one JSON line.
type ModelResult struct {
	Model  string              `json:"model"`
	Result *attribution.Result `json:"result,omitempty"`
	Error  string              `json:"error,omitempty"`
}

// runModelsFn runs every model of the config on the combined aggregate (a
// side input, decoded once), concurrently: a built aggregate may be read by
// any number of goroutines. It emits each ModelResult as a JSON line keyed by
// the model name.
type runModelsFn struct {
	AttributionConfig
}

func (f *runModelsFn) ProcessElement(ctx context.Context, _ []byte, aggs func(**PathAggregate) bool, emit func(string, string)) error {
	var agg, a *PathAggregate
	for aggs(&a) {
		if agg == nil {
			agg = a
		} else if err := agg.merge(a); err != nil {
			return err
		}
	}
	if agg == nil { // no journeys at all: every model says so
		agg = newPathAggregate(f.HalfLife, f.Lookback, f.Currency)
	}
	names := f.models()
	lines := make([]string, len(names))
	errs := make([]error, len(names))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b, err := json.Marshal(RunModel(ctx, agg.Aggregate(), name, f.modelOptions()...))
			lines[i], errs[i] = string(b), err
		}()
	}
	wg.Wait()
	for i, name := range names {
		if errs[i] != nil {
			return errs[i]
		}
		emit(name, lines[i])
	}
	return nil
}

// RunModel runs the model name on agg and returns its ModelResult, the way
// the Attribution transform does on the combined aggregate.
func RunModel(ctx context.Context, agg *attribution.Aggregate, name string, opts ...attribution.ModelOption) ModelResult {
	out := ModelResult{Model: name}
	m, err := attribution.ModelByName(name, opts...)
	if err == nil {
		out.Result, err = attribution.Run(ctx, agg, m)
	}
	if err != nil {
		out.Result, out.Error = nil, err.Error()
	}
	return out
}

// AttributionOutputs are the PCollections an Attribution transform produces.
type AttributionOutputs struct {
	// Results holds one JSON line per model (a ModelResult), keyed by the
	// model name.
	Results beam.PCollection
	// Aggregate is the singleton combined *PathAggregate.
	Aggregate beam.PCollection
	// Rejects holds one line per dead-lettered line, file or journey:
	// "file:line:col: field: message" or "file:line: journey ...".
	Rejects beam.PCollection
}

// Attribution reads the touch CSV files of files (a PCollection of
// fileio.ReadableFile, from fileio.MatchFiles and fileio.ReadMatches), builds
// the combined path aggregate and runs every model of cfg on it.
func Attribution(s beam.Scope, cfg AttributionConfig, files beam.PCollection) AttributionOutputs {
	s = s.Scope("revengine.Attribution")
	keyed, readRejects := beam.ParDo2(s, &readTouchesFn{Currency: cfg.Currency}, files)
	var journeys, rejects beam.PCollection
	if cfg.Grouped {
		journeys = beam.ParDo(s, dropKeyFn, keyed)
		rejects = readRejects
	} else {
		grouped := beam.GroupByKey(s, keyed)
		var asmRejects beam.PCollection
		journeys, asmRejects = beam.ParDo2(s, &assembleFn{AttributionConfig: cfg}, grouped)
		rejects = beam.Flatten(s, readRejects, asmRejects)
	}
	agg := beam.Combine(s, &aggregateFn{AttributionConfig: cfg}, journeys)
	results := beam.ParDo(s, &runModelsFn{AttributionConfig: cfg}, beam.Impulse(s), beam.SideInput{Input: agg})
	return AttributionOutputs{Results: results, Aggregate: agg, Rejects: rejects}
}

func init() {
	register.DoFn4x1[context.Context, fileio.ReadableFile, func(string, JourneyPart), func(string), error](&readTouchesFn{})
	register.DoFn5x0[context.Context, string, func(*JourneyPart) bool, func(JourneyPart), func(string)](&assembleFn{})
	register.Function2x1[string, JourneyPart, JourneyPart](dropKeyFn)
	register.Combiner3[*PathAggregate, JourneyPart, *PathAggregate](&aggregateFn{})
	register.DoFn4x1[context.Context, []byte, func(**PathAggregate) bool, func(string, string), error](&runModelsFn{})
	register.Emitter1[string]()
	register.Emitter1[JourneyPart]()
	register.Emitter2[string, JourneyPart]()
	register.Emitter2[string, string]()
	register.Iter1[*JourneyPart]()
	register.Iter1[*PathAggregate]()
	beam.RegisterType(reflect.TypeOf((*JourneyPart)(nil)).Elem())
}
