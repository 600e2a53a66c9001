package scoring

import (
	"math"
	"reflect"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
)

// Integer arithmetic in rules is checked: an int or duration result that
// does not fit in 64 bits is an evaluation error naming the rule, never a
// wrapped value. The fast path calls these helpers; expr's VM gets the same
// checks through checkedArith, a patch of the syntax tree that replaces
// int and duration +, −, × and unary minus, int() of a float and abs() of
// an int with checked functions.

// errOverflow is the panic value of an overflowing operation.
var errOverflow = evalPanic{"integer overflow: the result does not fit in 64 bits"}

func addInt(a, b int) int {
	c := a + b
	if (c > a) != (b > 0) {
		panic(errOverflow)
	}
	return c
}

func subInt(a, b int) int {
	c := a - b
	if (c < a) != (b > 0) {
		panic(errOverflow)
	}
	return c
}

func mulInt(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt) || (b == -1 && a == math.MinInt) {
		panic(errOverflow)
	}
	return c
}

// overflowErr is what the VM's checked functions return; it becomes an
// ErrEval error at the rule's position.
type overflowErr struct{}

func (overflowErr) Error() string { return errOverflow.msg }

// guard turns an overflow panic of the helpers into an error, for the VM.
func guard[T any](f func() T) (out T, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r == any(errOverflow) {
				err = overflowErr{}
				return
			}
			panic(r)
		}
	}()
	return f(), nil
}

var typeDuration = reflect.TypeOf(time.Duration(0))

// checkedFuncs are the functions checkedArith calls, typed for expr's
// checker (int and time.Duration overloads).
var checkedFuncs = []expr.Option{
	expr.Function("$add", func(a ...any) (any, error) { return checked2(a, addInt) },
		new(func(int, int) int), new(func(time.Duration, time.Duration) time.Duration)),
	expr.Function("$sub", func(a ...any) (any, error) { return checked2(a, subInt) },
		new(func(int, int) int), new(func(time.Duration, time.Duration) time.Duration)),
	expr.Function("$mul", func(a ...any) (any, error) { return checked2(a, mulInt) },
		new(func(int, int) int), new(func(time.Duration, int) time.Duration), new(func(int, time.Duration) time.Duration)),
	expr.Function("$neg", func(a ...any) (any, error) {
		switch x := a[0].(type) {
		case int:
			return guard(func() int { return subInt(0, x) })
		case time.Duration:
			return guard(func() time.Duration { return time.Duration(subInt(0, int(x))) })
		}
		return nil, errOverflow.asError()
	}, new(func(int) int), new(func(time.Duration) time.Duration)),
	expr.Function("$ftoi", func(a ...any) (any, error) {
		f := a[0].(float64)
		if math.IsNaN(f) || f >= 9223372036854775807.0 || f < -9223372036854775808.0 {
			return nil, overflowErr{}
		}
		return int(f), nil
	}, new(func(float64) int)),
	expr.Function("$abs", func(a ...any) (any, error) {
		x := a[0].(int)
		if x == math.MinInt {
			return nil, overflowErr{}
		}
		if x < 0 {
			return -x, nil
		}
		return x, nil
	}, new(func(int) int)),
	expr.Patch(checkedArith{}),
}

func (e evalPanic) asError() error { return overflowErr{} }

// checked2 applies op to two int-like arguments, keeping a duration's type.
func checked2(a []any, op func(int, int) int) (any, error) {
	dur := false
	ints := [2]int{}
	for i := range 2 {
		switch x := a[i].(type) {
		case int:
			ints[i] = x
		case time.Duration:
			ints[i], dur = int(x), true
		default:
			return nil, overflowErr{}
		}
	}
	v, err := guard(func() int { return op(ints[0], ints[1]) })
	if err != nil {
		return nil, err
	}
	if dur {
		return time.Duration(v), nil
	}
	return v, nil
}

// checkedArith is the patch: it runs after expr's type check, so each node
// knows its operands' types.
type checkedArith struct{}

func isIntLike(t reflect.Type) bool { return t == typeInt || t == typeDuration }

func (checkedArith) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		lt, rt := n.Left.Type(), n.Right.Type()
		if !isIntLike(lt) || !isIntLike(rt) {
			return
		}
		var fn string
		switch n.Operator {
		case "+":
			fn = "$add"
		case "-":
			fn = "$sub"
		case "*":
			fn = "$mul"
		default:
			return
		}
		if fn != "$mul" && lt != rt {
			return // time.Duration + int is not an expr operation anyway
		}
		out := typeInt
		if lt == typeDuration || rt == typeDuration {
			out = typeDuration
		}
		call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: []ast.Node{n.Left, n.Right}}
		ast.Patch(node, call)
		(*node).SetType(out)
	case *ast.UnaryNode:
		if n.Operator == "-" && isIntLike(n.Node.Type()) {
			t := n.Node.Type()
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "$neg"}, Arguments: []ast.Node{n.Node}})
			(*node).SetType(t)
		}
	case *ast.BuiltinNode:
		if len(n.Arguments) != 1 {
			return
		}
		switch {
		case n.Name == "int" && n.Arguments[0].Type() == typeFloat:
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "$ftoi"}, Arguments: n.Arguments})
			(*node).SetType(typeInt)
		case n.Name == "abs" && n.Arguments[0].Type() == typeInt:
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "$abs"}, Arguments: n.Arguments})
			(*node).SetType(typeInt)
		}
	}
}
