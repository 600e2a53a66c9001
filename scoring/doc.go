// Package scoring qualifies and scores leads with versioned rules written in
// YAML and compiled once with github.com/expr-lang/expr.
package scoring
