package scoring

import "strings"

// Fused closures: the commonest rule shapes — a field compared with a
// constant, a field in a constant list, a constant in a list field, a
// string operator with a constant — compiled into one closure that reads
// the field directly, instead of a closure per operand. They compute
// exactly what the general closures compute (the differential test runs
// both against expr's VM); only the number of indirect calls differs.

// smallSet is the size up to which `x in [...]` scans the constant list
// instead of hashing x: for a few strings, comparing lengths and bytes is
// cheaper than a map lookup.
const smallSet = 8

// mirror gives the operator that compares b with a when op compares a with
// b: c < x is x > c.
func mirror(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// fusedCompare compiles a numeric comparison with a constant operand.
func fusedCompare(op string, a, b cfn) (boolFn, bool) {
	if a.isConst && !b.isConst {
		a, b, op = b, a, mirror(op)
	}
	if !constNumeric(b) || !numeric(a.k) || a.isConst {
		return nil, false
	}
	slot, isField := a.field()
	if a.k == KindInt && b.k == KindInt {
		c := b.constInt()
		if isField {
			switch op {
			case "<":
				return func(s *evalState) bool { return s.vals[slot].int() < c }, true
			case "<=":
				return func(s *evalState) bool { return s.vals[slot].int() <= c }, true
			case ">":
				return func(s *evalState) bool { return s.vals[slot].int() > c }, true
			case ">=":
				return func(s *evalState) bool { return s.vals[slot].int() >= c }, true
			}
			return nil, false
		}
		f := a.i
		switch op {
		case "<":
			return func(s *evalState) bool { return f(s) < c }, true
		case "<=":
			return func(s *evalState) bool { return f(s) <= c }, true
		case ">":
			return func(s *evalState) bool { return f(s) > c }, true
		case ">=":
			return func(s *evalState) bool { return f(s) >= c }, true
		}
		return nil, false
	}
	// Mixed int and float compare as floats, as expr does.
	c := b.constFloat()
	if isField && a.k == KindFloat {
		switch op {
		case "<":
			return func(s *evalState) bool { return s.vals[slot].float() < c }, true
		case "<=":
			return func(s *evalState) bool { return s.vals[slot].float() <= c }, true
		case ">":
			return func(s *evalState) bool { return s.vals[slot].float() > c }, true
		case ">=":
			return func(s *evalState) bool { return s.vals[slot].float() >= c }, true
		}
		return nil, false
	}
	f := asFloat(a)
	switch op {
	case "<":
		return func(s *evalState) bool { return f(s) < c }, true
	case "<=":
		return func(s *evalState) bool { return f(s) <= c }, true
	case ">":
		return func(s *evalState) bool { return f(s) > c }, true
	case ">=":
		return func(s *evalState) bool { return f(s) >= c }, true
	}
	return nil, false
}

// fusedEqual compiles == with a constant operand of the same kind (strings,
// ints; other kinds use the general closures).
func fusedEqual(a, b cfn) (boolFn, bool) {
	if a.isConst && !b.isConst {
		a, b = b, a
	}
	if !b.isConst || a.isConst || a.k != b.k {
		return nil, false
	}
	slot, isField := a.field()
	switch a.k {
	case KindString:
		c := b.constString()
		if isField {
			return func(s *evalState) bool { return s.vals[slot].str() == c }, true
		}
		f := a.s
		return func(s *evalState) bool { return f(s) == c }, true
	case KindInt:
		c := b.constInt()
		if isField {
			return func(s *evalState) bool { return s.vals[slot].int() == c }, true
		}
		f := a.i
		return func(s *evalState) bool { return f(s) == c }, true
	}
	return nil, false
}

// fusedStringOp compiles contains, startsWith and endsWith with a constant
// right operand.
func fusedStringOp(op string, a, b cfn) (boolFn, bool) {
	if !constStr(b) || a.k != KindString || a.isConst {
		return nil, false
	}
	c := b.constString()
	slot, isField := a.field()
	f := a.s
	switch op {
	case "contains":
		if isField {
			return func(s *evalState) bool { return strings.Contains(s.vals[slot].str(), c) }, true
		}
		return func(s *evalState) bool { return strings.Contains(f(s), c) }, true
	case "startsWith":
		if isField {
			return func(s *evalState) bool { return strings.HasPrefix(s.vals[slot].str(), c) }, true
		}
		return func(s *evalState) bool { return strings.HasPrefix(f(s), c) }, true
	case "endsWith":
		if isField {
			return func(s *evalState) bool { return strings.HasSuffix(s.vals[slot].str(), c) }, true
		}
		return func(s *evalState) bool { return strings.HasSuffix(f(s), c) }, true
	}
	return nil, false
}

// inStrings compiles `a in` a constant set of strings: a scan of a few,
// a map lookup of more.
func inStrings(a cfn, items []string, set map[string]struct{}) boolFn {
	slot, isField := a.field()
	f := a.s
	if len(items) <= smallSet {
		items = append([]string(nil), items...)
		if isField {
			return func(s *evalState) bool {
				v := s.vals[slot].str()
				for _, x := range items {
					if x == v {
						return true
					}
				}
				return false
			}
		}
		return func(s *evalState) bool {
			v := f(s)
			for _, x := range items {
				if x == v {
					return true
				}
			}
			return false
		}
	}
	if isField {
		return func(s *evalState) bool { _, ok := set[s.vals[slot].str()]; return ok }
	}
	return func(s *evalState) bool { _, ok := set[f(s)]; return ok }
}

// constInList compiles "literal" in a list field.
func constInList(c string, l listFn) boolFn {
	return func(s *evalState) bool { return s.listHas(l(s), c) }
}

// listHas reports whether the list value holds v.
func (s *evalState) listHas(list *Value, v string) bool {
	if list.anys {
		for _, x := range list.anyList() {
			if str, _ := x.(string); str == v {
				return true
			}
		}
		return false
	}
	for _, x := range list.strList() {
		if x == v {
			return true
		}
	}
	return false
}
