package scoring

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sync"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// WithFastPath(false) makes every expression run on expr's VM instead of
// the native closures compiled for the common shapes (the default, true).
// It exists for differential testing and benchmarking; results are
// identical, only slower.
func WithFastPath(on bool) Option { return func(o *options) { o.noFastPath = !on } }

// RuleSet is a compiled rules file. It is immutable and safe for concurrent
// use by multiple goroutines; compile it once and evaluate many leads.
type RuleSet struct {
	file, name, version, hash string

	fields     []field
	fieldIdx   map[string]int
	props      []field // event properties
	propIdx    map[string]int
	eventTypes map[string]bool // nil: any type accepted
	// eventTypeIdx holds the declared event types, for suggestions.
	eventTypeIdx map[string]int
	lists        []list
	listIdx      map[string]int
	models       []model
	modelIdx     map[string]int
	// order is the order models are evaluated in: every model after the
	// models it reads (scores.X, fired, sum), file order otherwise.
	order []int
	// ruleModel maps each score rule's id to its model and its number
	// among all score rules (the index into the fired set).
	ruleModel map[string][2]int
	nRules    int
	usesFired bool // some expression calls fired(): states keep the fired set
	// spans are the durations rules compare times with, for next change.
	spans      []time.Duration
	grades     []grade
	stages     []stage
	stageIdx   map[string]int
	disqualify []stageRule
	recycle    []stageRule

	segments []stageRule
	// roles are the buying-group roles a lead can hold (accounts: roles),
	// evaluated last; accounts is the compiled accounts section, or nil.
	roles    []stageRule
	accounts *accountSpec
	refs     []ref // every value an expression reads, for the trace
	routing  routing

	cost float64 // static bound of one lead's evaluation (cost.go)
	// boundFields and boundProps index the string and list fields and
	// event properties, the values Score measures against Limits;
	// boundLists the list fields alone (loadMap measures the strings).
	boundFields, boundProps, boundLists []int
	maxRules                            int // the most rules of any model (evalState.cand)
	// traceFields are the slots of the fields whose values a trace keeps,
	// tracePII their places that are pii, and traceScores the models whose
	// scores it keeps (trace.vals, RuleSet.traceValues).
	traceFields, tracePII, traceScores []int32
	traceRuns                          []traceRun
	env                                envLayout
	opts                               options
	pool                               sync.Pool
	// exprs are every expression compiled, by id (expression.id).
	exprs []*expression
	plans sync.Map // reflect.Type → *structPlan
}

type field struct {
	name     string
	kind     Kind
	required bool
	def      Value
	slot     int
	pii      bool // personal data: masked in every output (pii.go)
}

type list struct {
	name  string
	items []string
	set   map[string]struct{}
	val   Value // items as a list Value, for the fast path
}

type model struct {
	name     string
	desc     string
	min, max float64
	hasMin   bool
	hasMax   bool
	rules    []rule
	sum      []modelRef // a combined model: the sum of these models
	hasSum   bool
	// plainCost is the steps (cost.go) of the conditions of the model's
	// plain rules, which the evaluator counts once per model.
	plainCost float64
	// conds are the model's rules for the evaluator's first pass
	// (evalState.candidates), in rule order: the conditions of the plain
	// rules, run in one tight loop, pick the rules the second pass visits.
	// nil when a plain condition tests fired(), which must see the rules
	// before it in the model fire first; all indexes every rule.
	conds []plainCond
	all   []int32
}

// plainCond is one rule for the first pass: the closure of a plain rule's
// condition (nil for a rule without one, or not plain: always visited),
// the expression's id (for errors) and the rule's index in the model.
type plainCond struct {
	b    func(*evalState) bool
	id   int32
	rule int32
}

// modelRef names another model, with the position of the reference.
type modelRef struct {
	idx       int
	line, col int
}

type rule struct {
	id, desc   string
	when       *expression // nil: always
	points     float64
	pointsExpr *expression
	cap        float64 // 0: none
	on         string  // event type; "" for an attribute rule
	event      bool
	halfLife   time.Duration
	within     time.Duration
	line, col  int
	num        int // this rule's number among all score rules (RuleSet.ruleModel)
	// plain: an attribute rule with constant points whose condition, if
	// any, has a fast closure — the evaluator's shortest path.
	plain bool
	// reads are what the rule's condition and points read, each once: the
	// inputs of its contribution.
	reads []traceRead
}

// traceRun is a run of n neighbouring lead fields, from slot from, kept at
// place to of a trace's values.
type traceRun struct{ from, to, n int32 }

// traceRead is one value an expression reads, resolved for the trace:
// its ref (index into RuleSet.refs), kind, and field slot or model index.
type traceRead struct {
	ref  int32
	idx  int32
	val  int32 // the value's place in trace.vals, for a field or a score
	kind refKind
}

type grade struct {
	grade string
	label string
	val   Value // grade as a Value, boxed once for the trace
	when  *expression
}

type stage struct {
	id    string
	label string
	val   Value // id as a Value, boxed once for the trace
	desc  string
	when  *expression // nil for the first stage
	sla   time.Duration
	// slaText is the SLA as written, shown on results.
	slaText string
	// leftAt is the slot of the time field that records when a lead left
	// the stage (left_at), or −1: then a lead leaves when an evaluation
	// moves it.
	leftAt int
}

// stageRule is a disqualify, recycle or segment rule: an id and a condition.
type stageRule struct {
	id    string
	label string
	when  *expression
	to    int // recycle target stage index
}

// DisqualifiedStage is the stage a lead enters when a disqualify rule fires.
const DisqualifiedStage = "disqualified"

// reserved names may not be declared as fields: they are the expression
// environment's own, or keys of lead data with a meaning of their own.
var reserved = map[string]bool{
	"lists": true, "scores": true, "grade": true, "stage": true, "event": true,
	"at": true, "segments": true, "id": true, "events": true, "stage_entered_at": true, "state": true,
	"true": true, "false": true, "nil": true, "in": true, "not": true, "and": true,
	"or": true, "matches": true, "contains": true, "startsWith": true, "endsWith": true,
	"let": true, "if": true, "else": true, "days_since": true, "fired": true,
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
var idRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$`)

// Name returns the rules file's name (its `name` key).
func (rs *RuleSet) Name() string { return rs.name }

// Version returns the rules file's declared version.
func (rs *RuleSet) Version() string { return rs.version }

// Hash returns "sha256:" and the hex SHA-256 of the rules file's bytes.
func (rs *RuleSet) Hash() string { return rs.hash }

// File returns the name the rules file was loaded under.
func (rs *RuleSet) File() string { return rs.file }

// Field returns the declared lead field of the given name.
func (rs *RuleSet) Field(name string) (FieldInfo, bool) {
	i, ok := rs.fieldIdx[name]
	if !ok {
		return FieldInfo{}, false
	}
	f := rs.fields[i]
	return FieldInfo{Name: f.name, Kind: f.kind, Required: f.required, Default: f.def, PII: f.pii}, true
}

// DeclaresEventField reports whether the rules declare the event property
// name in event_fields.
func (rs *RuleSet) DeclaresEventField(name string) bool {
	_, ok := rs.propIdx[name]
	return ok
}

// Fields returns the declared lead fields, in file order.
func (rs *RuleSet) Fields() []FieldInfo {
	out := make([]FieldInfo, len(rs.fields))
	for i, f := range rs.fields {
		out[i] = FieldInfo{Name: f.name, Kind: f.kind, Required: f.required, Default: f.def, PII: f.pii}
	}
	return out
}

// FieldInfo describes a declared lead field.
type FieldInfo struct {
	Name     string
	Kind     Kind
	Required bool
	Default  Value
	PII      bool // declared pii: true; its values are masked in every output
}

// Models returns the names of the score models in file order.
func (rs *RuleSet) Models() []string {
	out := make([]string, len(rs.models))
	for i, m := range rs.models {
		out[i] = m.name
	}
	return out
}

// Stages returns the lifecycle stage ids in order (not DisqualifiedStage).
func (rs *RuleSet) Stages() []string {
	out := make([]string, len(rs.stages))
	for i, s := range rs.stages {
		out[i] = s.id
	}
	return out
}

// LoadFile reads and compiles the rules file at path. Errors name the path.
func LoadFile(path string, opts ...Option) (*RuleSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// List files are read beside the rules file, unless WithFS says
	// otherwise.
	return Load(f, path, append([]Option{WithFS(os.DirFS(filepath.Dir(path)))}, opts...)...)
}

// Load reads a rules file from r and compiles it; name is used in error
// positions ("rules.yaml:14:9: ..."). Every problem found is reported at
// once as Errors, sorted by position.
func Load(r io.Reader, name string, opts ...Option) (*RuleSet, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	src, err := io.ReadAll(io.LimitReader(r, int64(o.SourceBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("scoring: reading %s: %w", name, err)
	}
	return parse(name, src, o)
}

// Parse compiles a rules file held in memory; name is used in error
// positions. See Load.
func Parse(name string, src []byte, opts ...Option) (*RuleSet, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return parse(name, src, o)
}

// MustParse is like Parse but panics on error. It is meant for rules held in
// package variables and tests.
func MustParse(name string, src []byte, opts ...Option) *RuleSet {
	rs, err := Parse(name, src, opts...)
	if err != nil {
		panic("scoring: MustParse(" + name + "): " + err.Error())
	}
	return rs
}

func parse(name string, src []byte, o options) (rs *RuleSet, err error) {
	// The loader must never panic on bad input; if it does, that is a bug,
	// but the caller still gets an ErrInternal error, not a crash.
	defer diag.Recover(&err, "scoring: load "+name)
	l := &loader{w: yamlx.New(name, nil), opts: o}
	if err := o.Limits.validate(); err != nil {
		l.errAt(0, 0, subject{}, CodeInvalid, "%v", err)
		return nil, l.errs()
	}
	if len(src) > o.SourceBytes {
		l.errAt(0, 0, subject{}, CodeLimit, "rules file is larger than %d bytes", o.SourceBytes)
		return nil, l.errs()
	}
	l.w = yamlx.New(name, src)
	root := l.w.Parse(src, "rules file")
	if root == nil {
		return nil, l.errs()
	}
	sum := sha256.Sum256(src)
	rs = &RuleSet{file: name, hash: "sha256:" + hex.EncodeToString(sum[:]), opts: o}
	l.ruleSet(rs, root)
	if len(l.listFiles) > 0 {
		// The hash covers the list files too: a result records exactly
		// the rules it was scored with.
		h := sha256.New()
		h.Write(src)
		for _, f := range l.listFiles {
			fmt.Fprintf(h, "\x00%s\x00%d\x00", f.name, len(f.data))
			h.Write(f.data)
		}
		rs.hash = "sha256:" + hex.EncodeToString(h.Sum(nil))
	}
	if errs := l.errs(); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	rs.pool.New = func() any { return rs.newState() }
	return rs, nil
}

// counter enforces MaxRules across every section.
type counter struct {
	n, max int
	l      *loader
	warned bool
}

func (c *counter) add(n *yaml.Node) {
	c.n++
	if c.n > c.max && !c.warned {
		c.warned = true
		c.l.errorf(n, subject{}, CodeLimit, "more than %d rules, grades, stages, segments and routes", c.max)
	}
}

var topKeys = []string{"version", "name", "description", "fields", "event_types", "event_fields",
	"lists", "scores", "grades", "stages", "disqualify", "recycle", "segments", "routing", "accounts"}

func (l *loader) ruleSet(rs *RuleSet, root *yaml.Node) {
	pairs := l.mapping(root, "rules file", subject{}, topKeys...)
	byKey := map[string]pair{}
	for _, p := range pairs {
		byKey[p.key.Value] = p
	}
	if p, ok := byKey["version"]; ok {
		if v, ok := l.scalar(p.val, "version", subject{}); ok {
			if v == "" {
				l.errorf(p.val, subject{}, CodeInvalid, "version must not be empty")
			}
			rs.version = v
		}
	} else if root.Kind == yaml.MappingNode {
		l.errorf(root, subject{}, CodeMissing, "missing required key \"version\"")
	}
	if p, ok := byKey["name"]; ok {
		rs.name, _ = l.scalar(p.val, "name", subject{})
	}
	if p, ok := byKey["description"]; ok {
		l.scalar(p.val, "description", subject{})
	}
	cnt := &counter{max: l.opts.Rules, l: l}
	rs.fieldIdx = map[string]int{}
	if p, ok := byKey["fields"]; ok {
		rs.fields = l.fields(p.val, "field", rs.fieldIdx)
	}
	rs.propIdx = map[string]int{}
	if p, ok := byKey["event_fields"]; ok {
		rs.props = l.fields(p.val, "event field", rs.propIdx)
		for _, f := range rs.props {
			if f.name == "type" || f.name == "time" {
				l.errorf(p.val, subject{}, CodeInvalid, "event field %q is built in", f.name)
			}
		}
	}
	if p, ok := byKey["event_types"]; ok {
		rs.eventTypes = map[string]bool{}
		rs.eventTypeIdx = map[string]int{}
		for _, n := range l.sequence(p.val, "event_types", subject{}) {
			if s, ok := l.scalar(n, "event type", subject{}); ok {
				if rs.eventTypes[s] {
					l.errorf(n, subject{}, CodeDuplicate, "duplicate event type %q", s)
				}
				rs.eventTypes[s] = true
				rs.eventTypeIdx[s] = len(rs.eventTypeIdx)
			}
		}
	}
	rs.listIdx = map[string]int{}
	rs.modelIdx = map[string]int{}
	if p, ok := byKey["lists"]; ok {
		l.lists(rs, p.val)
	}
	if n := len(rs.fields) + len(rs.props) + len(rs.lists); n > l.opts.Fields {
		l.errAt(1, 1, subject{}, CodeLimit, "%d fields, event fields and lists declared, more than the limit of %d (MaxFields)", n, l.opts.Fields)
		return
	}
	if p, ok := byKey["scores"]; ok && p.val.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(p.val.Content); i += 2 {
			rs.modelIdx[p.val.Content[i].Value] = len(rs.modelIdx)
		}
	}
	// The fields and event properties whose values checkBounds must
	// measure: strings and lists (numbers, bools and times are bounded by
	// their type).
	for i, f := range rs.fields {
		if f.kind == KindString || f.kind == KindList {
			rs.boundFields = append(rs.boundFields, i)
		}
		if f.kind == KindList {
			rs.boundLists = append(rs.boundLists, i)
		}
	}
	for i, f := range rs.props {
		if f.kind == KindString || f.kind == KindList {
			rs.boundProps = append(rs.boundProps, i)
		}
	}
	rs.env = buildEnv(rs)
	c := &compiler{l: l, rs: rs}
	if p, ok := byKey["scores"]; ok {
		c.models(p.val, cnt)
	}
	if p, ok := byKey["grades"]; ok {
		c.grades(p.val, cnt)
	}
	rs.stageIdx = map[string]int{}
	if p, ok := byKey["stages"]; ok {
		c.stages(p.val, cnt)
	}
	if p, ok := byKey["disqualify"]; ok {
		rs.disqualify = c.stageRules(p.val, "disqualify", false, secStage, cnt)
	}
	if p, ok := byKey["recycle"]; ok {
		if len(rs.stages) == 0 {
			l.errorf(p.key, subject{}, CodeMissing, "recycle needs stages")
		}
		rs.recycle = c.stageRules(p.val, "recycle", true, secStage, cnt)
	}
	c.routing(byKey, cnt)
	c.orderModels()
	if p, ok := byKey["accounts"]; ok {
		c.accounts(p.val, byKey, cnt)
	}
	c.checkLiterals()
	c.checkTotalCost()
	rs.setOwners()
	rs.markPlain()
}

var fieldKeys = []string{"type", "required", "default", "description", "pii"}

func (l *loader) fields(n *yaml.Node, what string, idx map[string]int) []field {
	var out []field
	for _, p := range l.mapping(n, what+"s", subject{}) {
		name := p.key.Value
		if !identRe.MatchString(name) {
			l.errorf(p.key, subject{}, CodeInvalid, "%s name %q is not an identifier (letters, digits, _)", what, name)
			continue
		}
		if reserved[name] {
			l.errorf(p.key, subject{}, CodeInvalid, "%s name %q is reserved", what, name)
			continue
		}
		f := field{name: name, slot: len(out)}
		var typeNode, defNode *yaml.Node
		switch p.val.Kind {
		case yaml.ScalarNode:
			typeNode = p.val
		case yaml.MappingNode:
			for _, q := range l.mapping(p.val, what+" "+name, subject{}, fieldKeys...) {
				switch q.key.Value {
				case "type":
					typeNode = q.val
				case "required":
					f.required, _ = l.boolean(q.val, "required", subject{})
				case "default":
					defNode = q.val
				case "description":
					l.scalar(q.val, "description", subject{})
				case "pii":
					f.pii, _ = l.boolean(q.val, "pii", subject{})
				}
			}
		default:
			l.errorf(p.val, subject{}, CodeInvalid, "%s %s: want a type or a mapping, got %s", what, name, nodeKind(p.val))
			continue
		}
		if typeNode == nil {
			l.errorf(p.key, subject{}, CodeMissing, "%s %s: missing type", what, name)
			continue
		}
		ts, _ := l.scalar(typeNode, "type", subject{})
		f.kind = parseKind(ts)
		if f.kind == KindInvalid {
			l.errorf(typeNode, subject{}, CodeInvalid, "%s %s: unknown type %q (string, int, float, bool, time, list)", what, name, ts)
			continue
		}
		f.def = kindVal(f.kind)
		if defNode != nil {
			if f.required {
				l.errorf(defNode, subject{}, CodeInvalid, "%s %s: a required field has no default", what, name)
			}
			var x any
			if err := defNode.Decode(&x); err != nil {
				l.errorf(defNode, subject{}, CodeInvalid, "%s %s: default: %v", what, name, err)
			} else if v, ok, err := convert(f.kind, yamlToJSON(x)); err != nil {
				l.errorf(defNode, subject{}, CodeType, "%s %s: default: %v", what, name, err)
			} else if ok {
				f.def = v
			}
		}
		idx[name] = len(out)
		out = append(out, f)
	}
	return out
}

// yamlToJSON maps what yaml.v3 decodes into the shapes encoding/json
// produces, so defaults convert like lead data.
func yamlToJSON(x any) any {
	switch v := x.(type) {
	case int:
		return float64(v)
	case []any:
		return v
	}
	return x
}

func (l *loader) lists(rs *RuleSet, n *yaml.Node) {
	total := 0
	for _, p := range l.mapping(n, "lists", subject{}) {
		name := p.key.Value
		if !identRe.MatchString(name) {
			l.errorf(p.key, subject{}, CodeInvalid, "list name %q is not an identifier", name)
			continue
		}
		li := list{name: name, set: map[string]struct{}{}}
		if p.val.Kind == yaml.MappingNode {
			// lists: {accounts: {file: accounts.txt}}
			for _, q := range l.mapping(p.val, "list "+name, subj("list", name), "file") {
				file, ok := l.scalar(q.val, "file", subj("list", name))
				if !ok {
					continue
				}
				for _, it := range l.listFile(q.val, name, file, &total) {
					li.items = append(li.items, it)
					li.set[it] = struct{}{}
				}
			}
		} else {
			for _, item := range l.sequence(p.val, "list "+name, subject{}) {
				s, ok := l.scalar(item, "list item", subject{})
				if !ok {
					continue
				}
				total++
				if total == l.opts.ListItems+1 {
					l.errorf(item, subject{}, CodeLimit, "more than %d list items", l.opts.ListItems)
				}
				li.items = append(li.items, s)
				li.set[s] = struct{}{}
			}
		}
		li.val = listVal(li.items)
		rs.listIdx[name] = len(rs.lists)
		rs.lists = append(rs.lists, li)
	}
}

// Score evaluates one lead at the evaluation time at. The lead is a
// map[string]any as decoded from JSON, a Lead, or a struct (or pointer to
// one) whose fields match the declared fields by `revengine` tag, `json`
// tag or name. Reserved keys: "id", "events", "stage" (the lead's current
// stage; the first stage when absent) and "stage_entered_at".
//
// Missing optional fields take their default (the zero value of their type
// when none is declared); a missing required field or a value of the wrong
// type is an *Error matching ErrLead (Kind "lead field", ID the field). A
// rule that fails at run time is an *Error matching ErrEval (Kind "rule", ID
// the rule id, the position of its expression). A bug inside the library is
// ErrInternal.
//
// Options configure routing for this evaluation (WithRotation,
// WithUnavailable). Score is safe to call from many goroutines at once.
func (rs *RuleSet) Score(ctx context.Context, lead any, at time.Time, opts ...EvalOption) (res *Result, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Bad data must never crash the caller; a panic here is a bug in
	// revengine, reported as ErrInternal (never as bad lead data), and the
	// evaluation state it may have left half-written is not reused.
	defer diag.Recover(&err, "scoring: score")
	s := rs.pool.Get().(*evalState)
	defer func() {
		if err == nil || !errors.Is(err, ErrInternal) {
			rs.pool.Put(s)
		}
	}()
	s.reset(ctx, at.UTC()) // times use UTC, whatever zone the caller's clock is in
	for _, o := range opts {
		o(&s.cfg)
		s.cfgSet = true
	}
	bound := rs.boundFields // the fields checkBounds measures
	switch x := lead.(type) {
	case map[string]any:
		err, bound = s.loadMap(x), rs.boundLists
	case *Lead:
		err = s.loadLead(x)
	case Lead:
		err = s.loadLead(&x)
	default:
		err = s.loadStruct(reflect.ValueOf(lead))
	}
	if err == nil {
		err = s.checkBounds(bound)
	}
	if err != nil {
		return nil, err
	}
	given := State{}
	if s.givenStage {
		given = State{Stage: s.stage, EnteredAt: s.stageEntered}
	}
	res, err = s.evaluate()
	if err != nil {
		return nil, err
	}
	var d *Decision
	if s.cfg.log != nil {
		d = s.decision(res, given) // before next change: its probes re-run the evaluation in s
	}
	if s.cfg.horizon > 0 {
		s.nextChange(res)
	}
	if d != nil {
		s.cfg.log.log(d)
	}
	return res, nil
}
