package revbeam

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue/mrr"
)

// Metric namespace and counter names of the KPIs transform.
const (
	KPIsNamespace = "revengine.kpis"
	// CounterShards counts the shard directories read.
	CounterShards = "shards"
	// CounterAdded counts the records added to the view (stage changes,
	// deals with their touches, spend rows, subscription events).
	CounterAdded = "added"
	// CounterKPIRejected counts the problems dead-lettered.
	CounterKPIRejected = "rejected"
)

// KPIConfig configures the KPIs transform: the settings of `revengine
// kpis` it supports, as plain data (it travels to the workers). The zero
// value is the CLI's default: USD, monthly, linear attribution.
type KPIConfig struct {
	Currency string // default "USD"
	Period   string // "month" (default) or "quarter"
	Model    string // attribution model name (default "linear")
	// MarkovOrder is the order of the Markov model (default 1).
	MarkovOrder int
	// SLA per stage for changes without a deadline of their own.
	SLA map[string]time.Duration
	// AsOf is when the data was extracted (zero: the latest stage change).
	AsOf time.Time
	// MRRMethod is "event" (default) or "net".
	MRRMethod string
	// MaxErrors bounds the problems each shard reports (default 100).
	MaxErrors int
}

// Engine returns the engine.Config of c, or an error for an invalid
// setting (before a pipeline is built).
func (c KPIConfig) Engine() (engine.Config, error) {
	cfg := engine.Config{Currency: money.Currency(c.Currency), Period: engine.Granularity(c.Period), SLA: c.SLA, AsOf: c.AsOf, MRRMethod: mrr.Method(c.MRRMethod)}
	if cfg.Currency == "" {
		cfg.Currency = attribution.DefaultCurrency
	}
	name := c.Model
	if name == "" {
		name = "linear"
	}
	var opts []attribution.ModelOption
	if c.MarkovOrder > 0 {
		opts = append(opts, attribution.WithOrder(c.MarkovOrder))
	}
	m, err := attribution.ModelByName(name, opts...)
	if err != nil {
		return cfg, err
	}
	cfg.Model = m
	if _, err := engine.New(cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// KPIBuilder is the accumulator of the KPIs CombineFn: an engine.Builder
// with the configuration it was made with. Its Beam coder is the
// configuration (JSON) and the builder's own binary encoding
// (engine.Builder.MarshalBinary: attribution aggregates of distinct paths,
// counts and sums, the compact stage changes; no touches).
type KPIBuilder struct {
	cfg KPIConfig
	b   *engine.Builder
}

func newKPIBuilder(c KPIConfig) (*KPIBuilder, error) {
	ec, err := c.Engine()
	if err != nil {
		return nil, err
	}
	b, err := engine.New(ec)
	if err != nil {
		return nil, err
	}
	return &KPIBuilder{cfg: c, b: b}, nil
}

// Builder returns the engine builder; it must not be modified.
func (k *KPIBuilder) Builder() *engine.Builder { return k.b }

const kpiMagic = "RVKB\x01"

// MarshalBinary encodes the accumulator (its Beam coder).
func (k *KPIBuilder) MarshalBinary() ([]byte, error) {
	if k == nil || k.b == nil {
		return nil, fmt.Errorf("revbeam: %w: a KPI builder without a valid configuration", ErrInvalidInput)
	}
	cj, err := json.Marshal(k.cfg)
	if err != nil {
		return nil, err
	}
	eb, err := k.b.MarshalBinary()
	if err != nil {
		return nil, err
	}
	out := append([]byte(kpiMagic), binary.AppendUvarint(nil, uint64(len(cj)))...)
	out = append(out, cj...)
	return append(out, eb...), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote; other bytes return an
// error matching ErrWireFormat.
func (k *KPIBuilder) UnmarshalBinary(data []byte) (err error) {
	defer diag.Recover(&err, "revbeam: KPIBuilder.UnmarshalBinary")
	if !bytes.HasPrefix(data, []byte(kpiMagic)) {
		return ErrWireFormat
	}
	data = data[len(kpiMagic):]
	n, w := binary.Uvarint(data)
	if w <= 0 || n > uint64(len(data)-w) {
		return ErrWireFormat
	}
	var c KPIConfig
	if err := json.Unmarshal(data[w:w+int(n)], &c); err != nil {
		return fmt.Errorf("%w: %v", ErrWireFormat, err)
	}
	d, err := newKPIBuilder(c)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWireFormat, err)
	}
	if err := d.b.UnmarshalBinary(data[w+int(n):]); err != nil {
		return fmt.Errorf("%w: %w", ErrWireFormat, err)
	}
	*k = *d
	return nil
}

func encodeKPIBuilder(k *KPIBuilder) ([]byte, error) { return k.MarshalBinary() }

func decodeKPIBuilder(b []byte) (*KPIBuilder, error) {
	k := new(KPIBuilder)
	if err := k.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return k, nil
}

// readShardFn reads one shard directory, as `revengine kpis DIR` reads its
// DIR (engine.DirFiles, engine.Builder.Read), into a builder; every problem
// is dead-lettered as "file:line:col: message".
type readShardFn struct {
	KPIConfig

	shards, added, rejected beam.Counter
}

func (f *readShardFn) Setup() {
	f.shards = beam.NewCounter(KPIsNamespace, CounterShards)
	f.added = beam.NewCounter(KPIsNamespace, CounterAdded)
	f.rejected = beam.NewCounter(KPIsNamespace, CounterKPIRejected)
}

func (f *readShardFn) ProcessElement(ctx context.Context, dir string, emit func(*KPIBuilder), reject func(string)) error {
	k, err := newKPIBuilder(f.KPIConfig)
	if err != nil {
		return err
	}
	f.shards.Inc(ctx, 1)
	files, err := engine.DirFiles(dir)
	if err != nil {
		reject(fmt.Sprintf("%s: %v (whole shard rejected)", dir, err))
		f.rejected.Inc(ctx, 1)
		return nil
	}
	if files.Scored != "" || files.Survey != "" || files.Responses != "" {
		// Scored results need a rules file, a survey the whole set of
		// responses: neither is sharded here.
		reject(fmt.Sprintf("%s: scored results and surveys are not read by the KPIs pipeline (whole shard rejected)", dir))
		f.rejected.Inc(ctx, 1)
		return nil
	}
	if err := k.b.Read(ctx, files, f.MaxErrors); err != nil {
		var l diag.List
		if !errors.As(err, &l) {
			return fmt.Errorf("revbeam: %s: %w", dir, err)
		}
		for _, e := range l {
			reject(e.Error())
		}
		f.rejected.Inc(ctx, int64(len(l)))
	}
	f.added.Inc(ctx, k.b.Added().Total())
	emit(k)
	return nil
}

// kpisFn is the CombineFn over engine builders: AddInput and
// MergeAccumulators are engine.Builder.Merge.
type kpisFn struct {
	KPIConfig
}

// CreateAccumulator returns an empty builder; with an invalid
// configuration (which KPIConfig.Engine reports before a pipeline is
// built) one without an engine builder, which the merges refuse.
func (f *kpisFn) CreateAccumulator() *KPIBuilder {
	k, err := newKPIBuilder(f.KPIConfig)
	if err != nil {
		return &KPIBuilder{cfg: f.KPIConfig}
	}
	return k
}

func (f *kpisFn) AddInput(a, b *KPIBuilder) (*KPIBuilder, error) { return f.MergeAccumulators(a, b) }

func (f *kpisFn) MergeAccumulators(a, b *KPIBuilder) (*KPIBuilder, error) {
	if a == nil || b == nil || a.b == nil || b.b == nil {
		return nil, fmt.Errorf("revbeam: %w: a KPI builder without a valid configuration", ErrInvalidInput)
	}
	if err := a.b.Merge(b.b); err != nil {
		return nil, fmt.Errorf("revbeam: merging KPI builders: %w", err)
	}
	return a, nil
}

func (f *kpisFn) ExtractOutput(a *KPIBuilder) *KPIBuilder { return a }

// viewFn builds the view of the combined builder and writes it as
// `revengine kpis --json` prints it (indented by two spaces, a final
// newline).
func viewFn(ctx context.Context, k *KPIBuilder, emit func(string)) error {
	if k == nil || k.b == nil {
		return fmt.Errorf("revbeam: %w: a KPI builder without a valid configuration", ErrInvalidInput)
	}
	v, err := k.b.View(ctx)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	emit(string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
	return nil
}

// KPIsOutputs are the PCollections of a KPIs transform.
type KPIsOutputs struct {
	// View is a singleton: the revenue-engine view as JSON, the bytes of
	// `revengine kpis --json` on all shards together (without the final
	// newline, which a text sink adds).
	View beam.PCollection
	// Builder is the singleton combined *KPIBuilder.
	Builder beam.PCollection
	// Rejects holds one line per problem: "file:line:col: message".
	Rejects beam.PCollection
}

// KPIs reads shard directories (a PCollection of local directory paths, each
// holding the files `revengine kpis DIR` reads: stage_changes, deals,
// touches, spend, subscriptions, as CSV or JSON lines), builds one
// engine.Builder per shard, combines them with engine.Builder.Merge, and
// writes the view. Shard the data by its keys: every stage change of a
// lead, every deal with its touches, every event of a customer in one
// shard; spend rows anywhere. A deal in two shards fails the pipeline.
func KPIs(s beam.Scope, cfg KPIConfig, dirs beam.PCollection) KPIsOutputs {
	s = s.Scope("revengine.KPIs")
	builders, rejects := beam.ParDo2(s, &readShardFn{KPIConfig: cfg}, dirs)
	combined := beam.Combine(s, &kpisFn{KPIConfig: cfg}, builders)
	view := beam.ParDo(s, viewFn, combined)
	return KPIsOutputs{View: view, Builder: combined, Rejects: rejects}
}

// ShardDirs expands a local glob of shard directories at pipeline
// construction, sorted; a glob matching no directory is an error.
func ShardDirs(s beam.Scope, glob string) (beam.PCollection, error) {
	m, err := filepath.Glob(glob)
	if err != nil {
		return beam.PCollection{}, fmt.Errorf("%w: %v", ErrInvalidInput, err)
	}
	slices.Sort(m)
	if len(m) == 0 {
		return beam.PCollection{}, fmt.Errorf("%w: %s matches no directory", ErrInvalidInput, glob)
	}
	return beam.CreateList(s.Scope("revengine.ShardDirs"), m), nil
}

func init() {
	register.DoFn4x1[context.Context, string, func(*KPIBuilder), func(string), error](&readShardFn{})
	register.Combiner3[*KPIBuilder, *KPIBuilder, *KPIBuilder](&kpisFn{})
	register.Function3x1[context.Context, *KPIBuilder, func(string), error](viewFn)
	register.Emitter1[*KPIBuilder]()
	beam.RegisterCoder(reflect.TypeOf((*KPIBuilder)(nil)), encodeKPIBuilder, decodeKPIBuilder)
}
