package scoring

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"
)

// Lead is lead data in Go form, an alternative to a map decoded from JSON
// or a struct of the caller's own.
type Lead struct {
	ID             string         // optional; recorded on the result
	Fields         map[string]any // declared field name → value
	Events         []Event        // activity, in any order
	Stage          string         // current stage id; the first stage when empty
	StageEnteredAt time.Time      // when the lead entered Stage; zero when unknown
}

// Event is one activity of a lead: a page view, a form fill, a webinar.
// In JSON lead data an event is an object with "type", "time" (RFC 3339)
// and its properties either beside them or under "props".
type Event struct {
	Type  string         `json:"type"`
	Time  time.Time      `json:"time"`
	Props map[string]any `json:"props,omitempty"`
}

type leadEvent struct {
	typ   string
	t     time.Time
	props []Value
}

// evalState is one worker's scratch space: the normalised lead, the scores
// so far and the buffers the result is built from. States are pooled per
// rule set, so a steady stream of evaluations allocates only the result.
type evalState struct {
	rs  *RuleSet
	ctx context.Context
	at  time.Time

	id           string
	vals         []Value
	events       []leadEvent
	propBuf      []Value
	ev           *leadEvent
	agg          *leadEvent   // the event a predicate over events is at
	aggInt       int          // running count or sum of a fast-path aggregate
	aggFloat     float64      // running float sum of a fast-path aggregate
	past         []*leadEvent // events at or before at, oldest first (pastEvents)
	pastOK       bool
	scores       []float64
	grade        string
	stage        string
	segments     []string
	segVal       Value // segments as a list Value, for the fast path
	gradeVal     Value // grade as a Value, for the trace
	stageVal     Value // stage as a Value, for the trace
	curStage     int   // index into rs.stages, or -1 for disqualified
	givenStage   bool
	stageEntered time.Time

	contribs []contribScratch
	stageBy  *expression // the expression of the rule that set the stage, or nil
	segBuf   []string

	cfg    evalConfig
	cfgSet bool // an EvalOption wrote cfg: reset clears it

	spent float64 // estimated steps since the context was last checked

	ignored []string // relaxed mode: unknown keys, event types and properties of this lead
	fired   []bool   // by rule number: the score rules that fired (when the rules use fired())
	cand    []int32  // the rules of the model being scored that its first pass picked (candidates)

	// cur is the id of the expression being evaluated (RuleSet.exprs), or
	// noExpr, for error reports: an index, not a pointer, so that the
	// evaluator's hottest store needs no GC write barrier.
	cur int32
	// curRule names what is being evaluated, for error reports, where the
	// expression alone does not say (its owner): set only on the paths
	// that fail outside an expression, and by routing.
	curRule string

	env      reflect.Value // *struct for expr's VM, made on first use
	envLead  bool          // lead fields copied into env
	envEvent *leadEvent    // event copied into env
	envPast  bool          // events copied into env
	vm       vm.VM
}

// The scratch records hold no pointers, so filling them costs no GC write
// barriers; the result's trace is a copy of them (trace.go).
type contribScratch struct {
	model  int32 // index into rs.models
	rule   int32 // index into the model's rules, or −1−m for the part of a sum that is model m
	events int32
	capped bool
	points float64
}

func (rs *RuleSet) newState() *evalState {
	s := &evalState{
		rs:     rs,
		vals:   make([]Value, len(rs.fields)),
		scores: make([]float64, len(rs.models)),
		cand:   make([]int32, rs.maxRules),
	}
	if rs.usesFired {
		s.fired = make([]bool, rs.nRules)
	}
	s.vm.MemoryBudget = uint(rs.opts.Memory/8) + 1 // items; the static bound (cost.go) is the real one
	return s
}

func (s *evalState) reset(ctx context.Context, at time.Time) {
	s.ctx = ctx
	s.at = at
	if s.cfgSet { // most evaluations take no options: no store, no barrier
		s.cfg, s.cfgSet = evalConfig{}, false
	}
	s.id = ""
	s.events = s.events[:0]
	s.ev = nil
	s.agg = nil
	s.past = s.past[:0]
	s.pastOK = false
	s.envPast = false
	s.grade = ""
	s.segments = nil
	s.segVal.set(kindVal(KindList))
	s.gradeVal.set(emptyStrVal)
	s.curStage = 0
	s.givenStage = false
	s.stageEntered = time.Time{}
	s.contribs = s.contribs[:0]
	s.stageBy = nil
	s.segBuf = s.segBuf[:0]
	s.envLead = false
	s.envEvent = nil
	s.cur = noExpr
	s.curRule = ""
	s.spent = 0
	s.ignored = s.ignored[:0]
	clear(s.fired)
	for i := range s.scores {
		s.scores[i] = 0
	}
	if len(s.rs.stages) > 0 {
		s.stage = s.rs.stages[0].id
	} else {
		s.stage = ""
	}
	s.stageVal.set(stageValue(s.rs, 0))
}

// loadMap normalises a lead decoded from JSON, and measures its strings
// against Limits.StringBytes (checkBounds measures the lists).
func (s *evalState) loadMap(m map[string]any) error {
	rs := s.rs
	known := 0
	maxStr := rs.opts.StringBytes
	for i := range rs.fields {
		f := &rs.fields[i]
		x, present := m[f.name]
		if !present {
			if err := s.setField(f, x, false); err != nil {
				return err
			}
			continue
		}
		known++
		// The commonest shapes of JSON values inline, without a call per
		// field; setField does the rest and words the errors.
		switch f.kind {
		case KindString:
			if str, isStr := x.(string); isStr {
				if len(str) > maxStr {
					return limitErr(f.name, "string of %d bytes, more than the limit of %d (MaxStringBytes)", len(str), maxStr)
				}
				s.vals[f.slot].set(strVal(str))
				continue
			}
		case KindFloat:
			if n, isNum := x.(float64); isNum && !math.IsNaN(n) && !math.IsInf(n, 0) {
				s.vals[f.slot].set(floatVal(n))
				continue
			}
		case KindInt:
			if n, isNum := x.(float64); isNum && n < 1<<63 && n >= -(1<<63) && float64(int64(n)) == n {
				s.vals[f.slot].set(intVal(int(n)))
				continue
			}
		case KindBool:
			if b, isBool := x.(bool); isBool {
				s.vals[f.slot].set(boolVal(b))
				continue
			}
		}
		if err := s.setField(f, x, true); err != nil {
			return err
		}
		if v := &s.vals[f.slot]; v.kind == KindString && len(v.str()) > maxStr {
			return limitErr(f.name, "string of %d bytes, more than the limit of %d (MaxStringBytes)", len(v.str()), maxStr)
		}
	}
	if known == len(m) {
		// Only declared fields: no reserved key to read, no lookups.
		return nil
	}
	// The reserved keys (leadKeys), each looked up once: the id first, the
	// commonest, and the others only when keys are still unaccounted for.
	idX, hasID := m["id"]
	if hasID && known+1 == len(m) {
		return s.loadReserved(idX, nil, nil, nil, nil)
	}
	stageX, hasStage := m["stage"]
	stateX, hasState := m["state"]
	enteredX, hasEntered := m["stage_entered_at"]
	eventsX, hasEvents := m["events"]
	for _, has := range [...]bool{hasID, hasStage, hasState, hasEntered, hasEvents} {
		if has {
			known++
		}
	}
	if known < len(m) {
		if err := s.unknownKeys(m, "", rs.fieldIdx, leadKeys); err != nil {
			return err
		}
	}
	return s.loadReserved(idX, stageX, stateX, enteredX, eventsX)
}

// loadReserved reads the reserved keys of a lead map (nil when absent).
func (s *evalState) loadReserved(idX, stageX, stateX, enteredX, eventsX any) error {
	rs := s.rs
	if x := idX; x != nil {
		switch id := x.(type) {
		case string:
			s.id = id
		case float64:
			s.id = strconv.FormatFloat(id, 'f', -1, 64)
		default:
			return leadErr("id", "%s", "want a string, got "+describe(x))
		}
	}
	if x := stageX; x != nil {
		st, isStr := x.(string)
		if !isStr {
			return leadErr("stage", "%s", "want a stage id, got "+describe(x))
		}
		if err := s.setStage(st); err != nil {
			return err
		}
	}
	if x := stateX; x != nil {
		st, isMap := x.(map[string]any)
		if !isMap {
			return leadErr("state", "%s", "want the state of a previous result ({\"stage\": …, \"entered_at\": …}), got "+describe(x))
		}
		for k := range st {
			if k != "stage" && k != "entered_at" {
				return leadErr("state."+clip(k, 64), "%s", "unknown key (a state has stage and entered_at)")
			}
		}
		if stage, ok := st["stage"].(string); ok {
			if err := s.setStage(stage); err != nil {
				return err
			}
		} else if st["stage"] != nil {
			return leadErr("state.stage", "%s", "want a stage id, got "+describe(st["stage"]))
		}
		if t, ok := st["entered_at"]; ok && t != nil {
			v, _, err := convert(KindTime, t)
			if err != nil {
				return leadErr("state.entered_at", "%s", err.Error())
			}
			s.stageEntered = v.time()
		}
	}
	if x := enteredX; x != nil {
		v, _, err := convert(KindTime, x)
		if err != nil {
			return leadErr("stage_entered_at", "%s", err.Error())
		}
		s.stageEntered = v.time()
	}
	if x := eventsX; x != nil {
		list, isList := x.([]any)
		if !isList {
			return leadErr("events", "%s", "want a list of events, got "+describe(x))
		}
		if len(list) > rs.opts.Events {
			return limitErr("events", "lead has %d events, more than the limit of %d (MaxEvents)", len(list), rs.opts.Events)
		}
		s.growEvents(len(list))
		for i, e := range list {
			em, isMap := e.(map[string]any)
			if !isMap {
				return leadErr(fmt.Sprintf("events[%d]", i), "%s", "want an object, got "+describe(e))
			}
			if err := s.loadEventMap(i, em); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *evalState) setField(f *field, x any, present bool) error {
	if !present || x == nil {
		if f.required {
			return leadErr(f.name, "%s", "required field is missing")
		}
		s.vals[f.slot].set(f.def)
		return nil
	}
	// The common shapes of JSON values, inline; convert does the rest
	// and words the errors.
	switch f.kind {
	case KindString:
		if str, isStr := x.(string); isStr {
			s.vals[f.slot].set(strVal(str))
			return nil
		}
	case KindBool:
		if b, isBool := x.(bool); isBool {
			s.vals[f.slot].set(boolVal(b))
			return nil
		}
	case KindFloat:
		if n, isNum := x.(float64); isNum && !math.IsNaN(n) && !math.IsInf(n, 0) {
			s.vals[f.slot].set(floatVal(n))
			return nil
		}
	case KindInt:
		if n, isNum := x.(float64); isNum && n < 1<<63 && n >= -(1<<63) && float64(int64(n)) == n {
			s.vals[f.slot].set(intVal(int(n)))
			return nil
		}
	}
	v, ok, err := convert(f.kind, x)
	if err != nil {
		if f.pii {
			// The message of a conversion quotes the value: not this one.
			return leadErr(f.name, "want %s, got a %s (the value is withheld: the field is pii)", f.kind, describeKind(x))
		}
		return leadErr(f.name, "%s", err.Error())
	}
	if !ok {
		v = f.def
	}
	s.vals[f.slot].set(v)
	return nil
}

func (s *evalState) setStage(st string) error {
	if st == "" {
		return nil
	}
	if st == DisqualifiedStage {
		s.curStage = -1
	} else if idx, ok := s.rs.stageIdx[st]; ok {
		s.curStage = idx
	} else {
		return leadErr("stage", "%s", fmt.Sprintf("unknown stage %q (declared: %s)", st, strings.Join(s.rs.Stages(), ", ")))
	}
	s.stage = st
	s.stageVal.set(stageValue(s.rs, s.curStage))
	s.givenStage = true
	return nil
}

// growEvents sizes the event and property buffers for n events.
func (s *evalState) growEvents(n int) {
	np := len(s.rs.props)
	if cap(s.events) < n {
		s.events = make([]leadEvent, 0, n)
	}
	s.events = s.events[:n]
	if cap(s.propBuf) < n*np {
		s.propBuf = make([]Value, n*np)
	}
	s.propBuf = s.propBuf[:n*np]
	for i := range s.events {
		s.events[i].props = s.propBuf[i*np : (i+1)*np : (i+1)*np]
	}
}

func (s *evalState) loadEventMap(i int, em map[string]any) error {
	ev := &s.events[i]
	name := func(f string) string { return fmt.Sprintf("events[%d].%s", i, f) }
	typ, ok := em["type"].(string)
	if !ok || typ == "" {
		return leadErr(name("type"), "%s", "want a non-empty string, got "+describe(em["type"]))
	}
	ev.typ = typ
	t, present, err := toTime(em["time"])
	if err != nil || !present {
		msg := "required"
		if err != nil {
			msg = err.Error()
		}
		return leadErr(name("time"), "%s", msg)
	}
	ev.t = t
	if err := s.checkEventType(i, typ); err != nil {
		return err
	}
	propsVal, hasProps := em["props"]
	nested, _ := propsVal.(map[string]any)
	known := 0
	for j := range s.rs.props {
		p := &s.rs.props[j]
		x, present := em[p.name]
		if present {
			known++
		}
		if !present && nested != nil {
			x, present = nested[p.name]
		}
		if !present || x == nil {
			ev.props[j].set(p.def)
			continue
		}
		v, _, err := convert(p.kind, x)
		if err != nil {
			return leadErr(name(p.name), "%s", err.Error())
		}
		ev.props[j].set(v)
	}
	// type and time are always there (checked above); props maybe.
	known += 2
	if hasProps {
		known++
	}
	if known < len(em) {
		if err := s.unknownKeys(em, fmt.Sprintf("events[%d].", i), s.rs.propIdx, eventKeys); err != nil {
			return err
		}
	}
	if nested != nil {
		if err := s.unknownKeys(nested, fmt.Sprintf("events[%d].props.", i), s.rs.propIdx, nil); err != nil {
			return err
		}
	}
	return nil
}

// leadKeys are the reserved keys of lead data; eventKeys those of an event.
var (
	leadKeys  = []string{"id", "events", "stage", "stage_entered_at", "state"}
	eventKeys = []string{"type", "time", "props"}
)

// unknownKeys reports the keys of m that are neither declared (idx) nor
// reserved: in strict mode the first, sorted, as a lead error with the
// nearest declared name; relaxed, every one is noted in s.ignored.
func (s *evalState) unknownKeys(m map[string]any, prefix string, idx map[string]int, reservedKeys []string) error {
	var unknown []string
	for k := range m {
		if _, ok := idx[k]; ok || slices.Contains(reservedKeys, k) {
			continue
		}
		unknown = append(unknown, k)
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	if s.rs.opts.strict {
		k := unknown[0]
		msg := "unknown field: the rules declare no such field"
		if prefix != "" {
			msg = "unknown event property: the rules declare no such event field"
		}
		if sug := suggest(k, idx); sug != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", sug)
		}
		return leadErr(prefix+clip(k, 64), "%s", msg)
	}
	for _, k := range unknown {
		s.ignore(prefix, k)
	}
	return nil
}

// ignore notes an unknown key, type or property in relaxed mode; events
// are counted by position-free names ("events[].url") so that a batch can
// sum them per key.
func (s *evalState) ignore(prefix, key string) {
	if strings.HasPrefix(prefix, "events[") {
		prefix = "events[]." + prefix[strings.IndexByte(prefix, ']')+2:]
	}
	name := prefix + clip(key, 64)
	if !slices.Contains(s.ignored, name) && len(s.ignored) < maxIgnored {
		s.ignored = append(s.ignored, name)
	}
}

// maxIgnored bounds the ignored keys reported per lead.
const maxIgnored = 64

// checkEventType rejects (strict) or notes (relaxed) an event type the rules
// file does not declare, when it declares event_types.
func (s *evalState) checkEventType(i int, typ string) error {
	if s.rs.eventTypes == nil || s.rs.eventTypes[typ] {
		return nil
	}
	if s.rs.opts.strict {
		msg := fmt.Sprintf("unknown event type %q", clip(typ, 64))
		if sug := suggest(typ, s.rs.eventTypeIdx); sug != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", sug)
		}
		return leadErr(fmt.Sprintf("events[%d].type", i), "%s", msg)
	}
	s.ignore("event type ", typ)
	return nil
}

// clip shortens a key for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// loadLead normalises a *Lead.
func (s *evalState) loadLead(l *Lead) error {
	if l == nil {
		return leadErr("", "%s", "nil lead")
	}
	known := 0
	for i := range s.rs.fields {
		f := &s.rs.fields[i]
		x, present := l.Fields[f.name]
		if present {
			known++
		}
		if err := s.setField(f, x, present); err != nil {
			return err
		}
	}
	if known < len(l.Fields) {
		if err := s.unknownKeys(l.Fields, "", s.rs.fieldIdx, nil); err != nil {
			return err
		}
	}
	s.id = l.ID
	if err := s.setStage(l.Stage); err != nil {
		return err
	}
	s.stageEntered = l.StageEnteredAt
	return s.loadEvents(l.Events)
}

func (s *evalState) loadEvents(evs []Event) error {
	if len(evs) > s.rs.opts.Events {
		return limitErr("events", "lead has %d events, more than the limit of %d (MaxEvents)", len(evs), s.rs.opts.Events)
	}
	s.growEvents(len(evs))
	for i := range evs {
		e := &evs[i]
		ev := &s.events[i]
		if e.Type == "" {
			return leadErr(fmt.Sprintf("events[%d].type", i), "%s", "required")
		}
		if e.Time.IsZero() {
			return leadErr(fmt.Sprintf("events[%d].time", i), "%s", "required")
		}
		ev.typ, ev.t = e.Type, e.Time
		if err := s.checkEventType(i, e.Type); err != nil {
			return err
		}
		if err := s.unknownKeys(e.Props, fmt.Sprintf("events[%d].", i), s.rs.propIdx, nil); err != nil {
			return err
		}
		for j := range s.rs.props {
			p := &s.rs.props[j]
			x, present := e.Props[p.name]
			if !present || x == nil {
				ev.props[j].set(p.def)
				continue
			}
			v, _, err := convert(p.kind, x)
			if err != nil {
				return leadErr(fmt.Sprintf("events[%d].%s", i, p.name), "%s", err.Error())
			}
			ev.props[j].set(v)
		}
	}
	return nil
}

// structPlan maps a caller's struct type onto the schema, computed once per
// type and cached on the rule set.
type structPlan struct {
	fields       []int // struct field index per schema slot, -1 when absent
	id, events   int
	stage, enter int
}

func (rs *RuleSet) plan(t reflect.Type) *structPlan {
	if p, ok := rs.plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{fields: make([]int, len(rs.fields)), id: -1, events: -1, stage: -1, enter: -1}
	for i := range p.fields {
		p.fields[i] = -1
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name := sf.Tag.Get("revengine")
		if name == "" {
			name, _, _ = strings.Cut(sf.Tag.Get("json"), ",")
		}
		if name == "-" {
			continue
		}
		match := func(want string) bool {
			if name != "" {
				return name == want
			}
			return strings.EqualFold(sf.Name, want) || strings.EqualFold(sf.Name, strings.ReplaceAll(want, "_", ""))
		}
		for slot, f := range rs.fields {
			if p.fields[slot] < 0 && match(f.name) {
				p.fields[slot] = i
			}
		}
		switch {
		case p.id < 0 && match("id"):
			p.id = i
		case p.events < 0 && match("events"):
			p.events = i
		case p.stage < 0 && match("stage"):
			p.stage = i
		case p.enter < 0 && match("stage_entered_at"):
			p.enter = i
		}
	}
	actual, _ := rs.plans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

// loadStruct normalises a caller's struct (or pointer to one).
func (s *evalState) loadStruct(v reflect.Value) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return leadErr("", "%s", "nil lead")
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		if v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String {
			m := make(map[string]any, v.Len())
			iter := v.MapRange()
			for iter.Next() {
				m[iter.Key().String()] = iter.Value().Interface()
			}
			return s.loadMap(m)
		}
		if !v.IsValid() {
			return leadErr("", "%s", "nil lead")
		}
		return leadErr("", "%s", fmt.Sprintf("want a map, Lead or struct, got %s", v.Type()))
	}
	p := s.rs.plan(v.Type())
	for slot := range s.rs.fields {
		f := &s.rs.fields[slot]
		if p.fields[slot] < 0 {
			if err := s.setField(f, nil, false); err != nil {
				return err
			}
			continue
		}
		fv := v.Field(p.fields[slot])
		var x any
		if fv.Kind() == reflect.Pointer {
			if !fv.IsNil() {
				x = fv.Elem().Interface()
			}
		} else {
			x = fv.Interface()
		}
		if err := s.setField(f, x, x != nil); err != nil {
			return err
		}
	}
	if p.id >= 0 {
		if id, ok := v.Field(p.id).Interface().(string); ok {
			s.id = id
		}
	}
	if p.stage >= 0 {
		if st, ok := v.Field(p.stage).Interface().(string); ok {
			if err := s.setStage(st); err != nil {
				return err
			}
		}
	}
	if p.enter >= 0 {
		if t, ok := v.Field(p.enter).Interface().(time.Time); ok {
			s.stageEntered = t
		}
	}
	if p.events >= 0 {
		switch evs := v.Field(p.events).Interface().(type) {
		case []Event:
			return s.loadEvents(evs)
		case []map[string]any:
			if len(evs) > s.rs.opts.Events {
				return limitErr("events", "lead has %d events, more than the limit of %d (MaxEvents)", len(evs), s.rs.opts.Events)
			}
			s.growEvents(len(evs))
			for i, em := range evs {
				if err := s.loadEventMap(i, em); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

var disqualifiedVal = strVal(DisqualifiedStage)
var emptyStrVal = strVal("")

// stageValue is stage index i as a Value, boxed once at load time so that
// the trace allocates nothing; -1 is DisqualifiedStage.
func stageValue(rs *RuleSet, i int) Value {
	switch {
	case i == -1:
		return disqualifiedVal
	case i >= 0 && i < len(rs.stages):
		return rs.stages[i].val
	}
	return emptyStrVal
}

// checkBounds enforces the limits on lead data the cost estimator assumed
// (Limits.StringBytes, Limits.ListItems): a lead whose strings or lists are
// larger than the rules were checked for is rejected, never evaluated.
func (s *evalState) checkBounds(fields []int) error {
	rs := s.rs
	maxStr, maxItems := rs.opts.StringBytes, rs.opts.LeadListItems
	for _, i := range fields {
		f := &rs.fields[i]
		v := &s.vals[f.slot]
		switch v.kind {
		case KindString:
			if n := len(v.str()); n > maxStr {
				return limitErr(f.name, "string of %d bytes, more than the limit of %d (MaxStringBytes)", n, maxStr)
			}
		case KindList:
			n := v.listLen()
			if n > maxItems {
				return limitErr(f.name, "list of %d items, more than the limit of %d (MaxLeadListItems)", n, maxItems)
			}
			for j := 0; j < n; j++ { // in place: a []any list is not copied
				if it := v.listAt(j); len(it) > maxStr {
					return limitErr(fmt.Sprintf("%s[%d]", f.name, j), "string of %d bytes, more than the limit of %d (MaxStringBytes)", len(it), maxStr)
				}
			}
		}
	}
	for i := range s.events {
		ev := &s.events[i]
		if len(ev.typ) > maxStr {
			return limitErr(fmt.Sprintf("events[%d].type", i), "string of %d bytes, more than the limit of %d (MaxStringBytes)", len(ev.typ), maxStr)
		}
		for _, j := range rs.boundProps {
			switch v := ev.props[j]; v.kind {
			case KindString:
				if len(v.str()) > maxStr {
					return limitErr(fmt.Sprintf("events[%d].%s", i, rs.props[j].name), "string of %d bytes, more than the limit of %d (MaxStringBytes)", len(v.str()), maxStr)
				}
			case KindList:
				n := v.listLen()
				if n > maxItems {
					return limitErr(fmt.Sprintf("events[%d].%s", i, rs.props[j].name), "list of %d items, more than the limit of %d (MaxLeadListItems)", n, maxItems)
				}
				for k := 0; k < n; k++ { // in place, as for fields
					if it := v.listAt(k); len(it) > maxStr {
						return limitErr(fmt.Sprintf("events[%d].%s[%d]", i, rs.props[j].name, k), "string of %d bytes, more than the limit of %d (MaxStringBytes)", len(it), maxStr)
					}
				}
			}
		}
	}
	return nil
}

// describeKind names the JSON kind of x without its value.
func describeKind(x any) string {
	switch x.(type) {
	case string:
		return "string"
	case float64, int, int64, float32:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	case nil:
		return "null"
	}
	return "value"
}
