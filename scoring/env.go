package scoring

import (
	"fmt"
	"reflect"
	"sort"
)

// envLayout is the expression environment, built from the schema as a Go
// struct type so that expr's checker knows the exact type of every name:
// a typo in a field, list, score or event property is a load error. The
// schema, not lead data, defines the environment.
//
// The fast path never touches this struct; expr's VM (the fallback for
// expressions the fast path does not compile) reads a per-worker instance
// filled from the normalised lead.
type envLayout struct {
	typ       reflect.Type
	fields    []int // struct field index of each lead field slot
	lists     int
	at        int
	scores    int
	scoresTyp reflect.Type
	scoreIdx  []int // scores struct field of each model, -1 when its name is invalid
	grade     int
	stage     int
	segments  int
	event     int
	events    int // the lead's past events, oldest first
	daysSince int // days_since, bound to the evaluation state
	firedFn   int // fired, bound to the evaluation state
	eventTyp  reflect.Type
	sample    any // a zero instance for expr.Env
}

func buildEnv(rs *RuleSet) envLayout {
	var sf []reflect.StructField
	var lay envLayout
	add := func(name string, t reflect.Type) int {
		sf = append(sf, reflect.StructField{
			Name: fmt.Sprintf("X%d", len(sf)),
			Type: t,
			Tag:  reflect.StructTag(fmt.Sprintf(`expr:"%s"`, name)),
		})
		return len(sf) - 1
	}
	for _, f := range rs.fields {
		lay.fields = append(lay.fields, add(f.name, f.kind.goType()))
	}
	var lf []reflect.StructField
	for i, l := range rs.lists {
		lf = append(lf, reflect.StructField{Name: fmt.Sprintf("L%d", i), Type: typeList,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:"%s"`, l.name))})
	}
	lay.lists = add("lists", reflect.StructOf(lf))
	lay.at = add("at", typeTime)
	models := make([]string, len(rs.modelIdx))
	for name, i := range rs.modelIdx {
		if i < len(models) {
			models[i] = name
		}
	}
	var mf []reflect.StructField
	for i, name := range models {
		if !identRe.MatchString(name) {
			continue // reported when the model is compiled
		}
		mf = append(mf, reflect.StructField{Name: fmt.Sprintf("S%d", i), Type: typeFloat,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:"%s"`, name))})
	}
	lay.scoresTyp = reflect.StructOf(mf)
	lay.scoreIdx = make([]int, len(models))
	for i := range models {
		lay.scoreIdx[i] = -1
		if f, ok := lay.scoresTyp.FieldByName(fmt.Sprintf("S%d", i)); ok {
			lay.scoreIdx[i] = f.Index[0]
		}
	}
	lay.scores = add("scores", lay.scoresTyp)
	lay.grade = add("grade", typeString)
	lay.stage = add("stage", typeString)
	lay.segments = add("segments", typeList)
	ef := []reflect.StructField{
		{Name: "Type", Type: typeString, Tag: `expr:"type"`},
		{Name: "Time", Type: typeTime, Tag: `expr:"time"`},
	}
	for i, p := range rs.props {
		ef = append(ef, reflect.StructField{Name: fmt.Sprintf("P%d", i), Type: p.kind.goType(),
			Tag: reflect.StructTag(fmt.Sprintf(`expr:"%s"`, p.name))})
	}
	lay.eventTyp = reflect.StructOf(ef)
	lay.event = add("event", lay.eventTyp)
	lay.events = add("events", reflect.SliceOf(lay.eventTyp))
	lay.daysSince = add("days_since", typeDaysSince)
	lay.firedFn = add("fired", typeFired)
	lay.typ = reflect.StructOf(sf)
	lay.sample = reflect.New(lay.typ).Elem().Interface()
	return lay
}

// newEnv returns a pointer to a fresh environment with the constant lists
// filled in.
func (rs *RuleSet) newEnv() reflect.Value {
	p := reflect.New(rs.env.typ)
	lv := p.Elem().Field(rs.env.lists)
	for i, l := range rs.lists {
		lv.Field(i).Set(reflect.ValueOf(l.items))
	}
	return p
}

func setValue(dst reflect.Value, v Value) {
	switch v.kind {
	case KindString:
		dst.SetString(v.str())
	case KindInt:
		dst.SetInt(int64(v.int()))
	case KindFloat:
		dst.SetFloat(v.float())
	case KindBool:
		dst.SetBool(v.bool())
	case KindTime:
		dst.Set(reflect.ValueOf(v.time()))
	case KindList:
		dst.Set(reflect.ValueOf(v.strings()))
	}
}

// sortedKeys returns a map's keys in order, for deterministic messages.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
