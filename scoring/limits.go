package scoring

import (
	"fmt"
	"io/fs"
	"math"
)

// Limits bounds everything an untrusted rules file or lead can make the
// package do. The guarantee: for any rules file and any lead, Load and Score
// return within a time and memory fixed by these limits, or return an error
// with a position; they never crash the process, hang, or ignore the
// context. DefaultLimits gives the defaults; every limit can be set alone
// with its Option (MaxCost, MaxDepth, ...) or all at once with WithLimits,
// and on the command line with the flag of the same name (--max-cost, ...)
// of check, score, test and diff.
//
//	Limit        Default   Bounds                                      Checked
//	SourceBytes  1 MiB     the rules file                              load
//	Rules        2000      rules, grades, stages, segments, routes     load
//	Fields       1000      fields, event fields and lists declared     load
//	ExprBytes    4096      the source of one expression                load, before parsing
//	Depth        32        nesting of (), [], {} and unary operators   load, before parsing
//	                       (at most MaxDepthLimit, 1000, whatever is asked)
//	Tokens       1024      tokens of one expression                    load, before parsing
//	Nodes        256       syntax-tree nodes of one expression         load
//	ListItems    10000     items of the constant lists together        load
//	LeadListItems 1000     items of one list field of a lead           score
//	Events       10000     events on one lead                          score
//	AccountLeads 1000      leads of one account (ScoreAccount)         score
//	StringBytes  2048      one string of a lead: a field, a list item, score
//	                       an event type or property
//	Cost         1e8       estimated steps of one lead's evaluation    load
//	Memory       16 MiB    estimated bytes one evaluation of one       load
//	                       expression may allocate
//
// Cost and Memory are static upper bounds computed at load from each
// expression's syntax tree and the other limits (the largest list, string
// and number of events an expression could meet), in the manner of cel-go's
// cost estimator: a rules file whose worst case is over the bound is
// rejected with the position of the rule and its estimate, before any lead
// is scored. A step is one operation of an expression (a comparison, a
// field read, one iteration of any/all/filter/map) or 32 bytes of string
// work; a per-event rule costs its expressions once per possible event.
// One evaluation of one expression may cost at most a hundredth of Cost:
// the context is checked between evaluations (each rule, each event), so
// a cancelled or expired context stops Score within that much work — a
// few milliseconds at the default.
type Limits struct {
	SourceBytes int // size of the rules file, in bytes
	Rules       int // rules, grades, stages, segments and routes together
	Fields      int // fields, event fields and lists declared together
	ExprBytes   int // size of one expression's source, in bytes
	Depth       int // nesting depth of one expression
	Tokens      int // tokens of one expression
	Nodes       int // syntax-tree nodes of one expression (expr.MaxNodes)
	ListItems   int // items of all constant lists of the rules file together
	// LeadListItems bounds the items of one list field of a lead.
	LeadListItems int
	Events        int // events on one lead
	// AccountLeads bounds the leads of one account (ScoreAccount).
	AccountLeads int
	StringBytes  int   // bytes of one string value of a lead
	Cost         int64 // estimated steps of one lead's evaluation
	Memory       int64 // estimated bytes allocated by one evaluation of one expression
}

// Default limits; see Limits.
const (
	DefaultMaxSourceBytes   = 1 << 20
	DefaultMaxRules         = 2000
	DefaultMaxFields        = 1000
	DefaultMaxExprBytes     = 4096
	DefaultMaxDepth         = 32
	DefaultMaxTokens        = 1024
	DefaultMaxNodes         = 256
	DefaultMaxListItems     = 10000
	DefaultMaxLeadListItems = 1000
	DefaultMaxEvents        = 10000
	DefaultMaxAccountLeads  = 1000
	DefaultMaxStringBytes   = 2048
	DefaultMaxCost          = 100_000_000
	DefaultMaxMemory        = 16 << 20
)

// DefaultLimits returns the default limits, the table in Limits.
func DefaultLimits() Limits {
	return Limits{
		SourceBytes:   DefaultMaxSourceBytes,
		Rules:         DefaultMaxRules,
		Fields:        DefaultMaxFields,
		ExprBytes:     DefaultMaxExprBytes,
		Depth:         DefaultMaxDepth,
		Tokens:        DefaultMaxTokens,
		Nodes:         DefaultMaxNodes,
		ListItems:     DefaultMaxListItems,
		LeadListItems: DefaultMaxLeadListItems,
		Events:        DefaultMaxEvents,
		AccountLeads:  DefaultMaxAccountLeads,
		StringBytes:   DefaultMaxStringBytes,
		Cost:          DefaultMaxCost,
		Memory:        DefaultMaxMemory,
	}
}

// validate reports the first limit that is not positive.
func (l Limits) validate() error {
	for _, c := range []struct {
		name string
		v    int64
	}{
		{"SourceBytes", int64(l.SourceBytes)}, {"Rules", int64(l.Rules)}, {"Fields", int64(l.Fields)},
		{"ExprBytes", int64(l.ExprBytes)}, {"Depth", int64(l.Depth)}, {"Tokens", int64(l.Tokens)},
		{"Nodes", int64(l.Nodes)}, {"ListItems", int64(l.ListItems)}, {"LeadListItems", int64(l.LeadListItems)}, {"Events", int64(l.Events)}, {"AccountLeads", int64(l.AccountLeads)},
		{"StringBytes", int64(l.StringBytes)}, {"Cost", l.Cost}, {"Memory", l.Memory},
	} {
		if c.v < 1 {
			return fmt.Errorf("limit %s must be at least 1, got %d", c.name, c.v)
		}
	}
	if int64(l.Nodes) > math.MaxUint32 {
		return fmt.Errorf("limit Nodes %d is too large", l.Nodes)
	}
	// Expr's parser and the tree walkers recurse once per level: a depth
	// beyond this would let a rules file exhaust the goroutine's stack,
	// which no recover can catch, whatever the embedder asked for.
	if l.Depth > MaxDepthLimit {
		return fmt.Errorf("limit Depth %d is above %d, the most the parser's recursion can take safely", l.Depth, MaxDepthLimit)
	}
	return nil
}

// MaxDepthLimit is the largest Depth an Option may set.
const MaxDepthLimit = 1000

// evalCost is the most one evaluation of one expression may cost: between
// two evaluations the context is checked.
func (l Limits) evalCost() float64 { return float64(l.Cost) / 100 }

// Option configures Load.
type Option func(*options)

type options struct {
	Limits
	noFastPath bool
	strict     bool
	fsys       fs.FS // where list files are read (WithFS)
	piiKey     []byte
}

func defaultOptions() options { return options{Limits: DefaultLimits(), strict: true} }

// WithFS sets where the list files a rules file names are read
// (lists: {accounts: {file: accounts.txt}}); names are relative to fsys and
// may not leave it (fs.ValidPath: no "..", no absolute paths), so an
// untrusted rules file reads only what the embedder exposes. LoadFile uses
// the rules file's directory; Parse and Load read no files without it.
func WithFS(fsys fs.FS) Option { return func(o *options) { o.fsys = fsys } }

// Strict sets how Score treats lead data the rules file does not declare:
// a key that is not a declared field or a reserved key, an event whose type
// is not in event_types (when the file declares them), an event property
// that is not in event_fields. Strict (the default, true) rejects the lead
// with an *Error matching ErrLead that names the key and the nearest
// declared name — a CRM export that renames company_size to employees
// fails loudly instead of silently scoring 0. Strict(false) scores the lead
// and lists what it ignored in Result.Ignored; ScoreLines counts them per
// key in BatchStats.Ignored.
func Strict(on bool) Option { return func(o *options) { o.strict = on } }

// WithLimits sets every limit at once; start from DefaultLimits and change
// the ones you need. A limit below 1 makes Load fail.
func WithLimits(l Limits) Option { return func(o *options) { o.Limits = l } }

// MaxSourceBytes bounds the size of a rules file.
func MaxSourceBytes(n int) Option { return func(o *options) { o.SourceBytes = n } }

// MaxRules bounds the number of rules, grades, stages, segments and routes.
func MaxRules(n int) Option { return func(o *options) { o.Rules = n } }

// MaxFields bounds the number of fields, event fields and lists declared.
func MaxFields(n int) Option { return func(o *options) { o.Fields = n } }

// MaxExprBytes bounds the source of one expression, checked before it is
// parsed.
func MaxExprBytes(n int) Option { return func(o *options) { o.ExprBytes = n } }

// MaxDepth bounds the nesting of brackets and unary operators in one
// expression, checked before it is parsed (expr's parser is recursive).
func MaxDepth(n int) Option { return func(o *options) { o.Depth = n } }

// MaxTokens bounds the tokens of one expression, checked before it is
// parsed.
func MaxTokens(n int) Option { return func(o *options) { o.Tokens = n } }

// MaxNodes bounds the size of each expression in syntax-tree nodes.
func MaxNodes(n int) Option { return func(o *options) { o.Nodes = n } }

// MaxListItems bounds the items of all constant lists of the file together.
func MaxListItems(n int) Option { return func(o *options) { o.ListItems = n } }

// MaxLeadListItems bounds the items of one list field of a lead; a lead with
// more is rejected with ErrLimit.
func MaxLeadListItems(n int) Option { return func(o *options) { o.LeadListItems = n } }

// MaxEvents bounds the number of events a lead may carry; a lead with more is
// rejected with ErrLimit.
func MaxEvents(n int) Option { return func(o *options) { o.Events = n } }

// MaxAccountLeads bounds the leads of one account; an account with more is
// rejected with ErrLimit.
func MaxAccountLeads(n int) Option { return func(o *options) { o.AccountLeads = n } }

// MaxStringBytes bounds one string value of a lead — a field, a list item,
// an event type or property; a lead with a longer one is rejected with
// ErrLimit.
func MaxStringBytes(n int) Option { return func(o *options) { o.StringBytes = n } }

// MaxCost bounds the estimated cost of one lead's evaluation, in steps (see
// Limits); a rules file whose estimate is higher does not load.
func MaxCost(n int64) Option { return func(o *options) { o.Cost = n } }

// MaxMemory bounds the estimated bytes one evaluation of one expression may
// allocate (see Limits); a rules file with a larger estimate does not load.
// expr's VM also enforces its own budget, derived from it, at run time.
func MaxMemory(n int64) Option { return func(o *options) { o.Memory = n } }

// Limits returns the limits the rule set was loaded with.
func (rs *RuleSet) Limits() Limits { return rs.opts.Limits }
