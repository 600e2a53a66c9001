package attribution

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

// DefaultHalfLife is the time-decay half-life used when none is given.
const DefaultHalfLife = 7 * 24 * time.Hour

// Totals counts journeys, conversions and conversion value.
type Totals struct {
	Journeys    int64       `json:"journeys"`
	Conversions int64       `json:"conversions"`
	Value       money.Money `json:"value"`
}

// counts is Totals inside an aggregate, the value in minor units of the
// aggregate's currency.
type counts struct {
	journeys, conversions, value int64
}

// fits reports whether t + o fits in int64 (all terms are non-negative).
func (t counts) fits(o counts) bool {
	return t.journeys <= math.MaxInt64-o.journeys && t.conversions <= math.MaxInt64-o.conversions && t.value <= math.MaxInt64-o.value
}

func (t *counts) add(o counts) {
	t.journeys += o.journeys
	t.conversions += o.conversions
	t.value += o.value
}

func (t counts) totals(cur money.Currency) Totals {
	return Totals{Journeys: t.journeys, Conversions: t.conversions, Value: money.New(t.value, cur)}
}

// A Path is one distinct channel sequence of an aggregate with the journeys
// that followed it: how many, how many converted, and their total value.
type Path struct {
	Channels    []string    `json:"channels"`
	Journeys    int64       `json:"journeys"`
	Conversions int64       `json:"conversions"`
	Value       money.Money `json:"value"`
}

// An Aggregate is the streaming, mergeable summary every model runs from:
// the distinct channel paths with their journey, conversion and value counts,
// plus per-channel credit accumulators for the models that need touch times
// or milestones (time decay, W-shaped, full-path), computed exactly journey
// by journey as it is built. Two aggregates built with the same options over
// two shards of the data merge into the aggregate of all of it.
//
// The zero Aggregate is empty and ready to use, with the default options.
// An Aggregate is not safe for concurrent building (Add, AddPath, Merge);
// once built, any number of goroutines may run models on it concurrently.
type Aggregate struct {
	halfLife   time.Duration
	lookback   time.Duration
	period     Period         // zero: every journey
	outside    counts         // journeys that ended outside the period
	currency   money.Currency // "" in the zero Aggregate: DefaultCurrency
	currencyOK bool           // currency has been validated
	noTimes    bool           // some data came in as paths, without times or milestones

	chanID map[string]uint16
	// chanHot caches chanID by the string's memory: the touch reader
	// interns channel names, so most lookups hit it without hashing.
	chanHot [64]chanHit
	chans   []string
	pathIdx pathTable // encoded channel ids → index in paths
	paths   []pathStat

	// per-channel credits of the journey-level models, indexed by channel
	// id: set in a view only (an aggregate keeps them per path, exactly)
	timeDecay, wShaped, fullPath []credit

	total, unattributed counts

	norm    *ChannelMap      // channel normalisation, nil for none
	rawID   map[string]int32 // with norm: raw name → index in renamed
	renamed []Rename         // with norm: every raw name seen, with its touches

	keybuf  []byte
	weights []float64

	isView    bool                   // this is a canonical view (see view)
	replicaOf *Aggregate             // a bootstrap replicate: the view it was drawn from
	viewMu    sync.Mutex             // guards cache and templates
	templates map[int]*chainTemplate // in a view: Markov templates by order
	cache     *Aggregate             // the view, nil until a model asks or after a change
}

type pathStat struct {
	key         string // 2 bytes (little-endian uint16 channel id) per touch
	journeys    int64
	conversions int64
	value       int64
	jc          []jcredit // journey-level credit per channel; nil for paths read as paths
	src         int32     // in a bootstrap replicate: the index of the path in the view
}

type credit struct{ conv, value float64 }

// NewAggregate returns an empty aggregate configured by WithHalfLife,
// WithLookback and WithCurrency (other options are ignored). With an
// invalid currency every Add fails.
func NewAggregate(opts ...Option) *Aggregate {
	return newAggregate(newConfig(opts))
}

func newAggregate(c config) *Aggregate {
	return &Aggregate{
		halfLife: c.halfLife,
		lookback: c.lookback,
		period:   c.period,
		currency: c.currency,
		norm:     c.norm,
		chanID:   map[string]uint16{},
	}
}

// Currency reports the currency of the aggregate's values.
func (a *Aggregate) Currency() money.Currency {
	if a.currency == "" {
		return DefaultCurrency // the zero Aggregate
	}
	return a.currency
}

// HalfLife reports the time-decay half-life the aggregate was built with.
func (a *Aggregate) HalfLife() time.Duration {
	if a.halfLife <= 0 {
		return DefaultHalfLife // the zero Aggregate
	}
	return a.halfLife
}

// init makes the zero Aggregate usable.
func (a *Aggregate) init() {
	if a.chanID == nil {
		a.chanID = map[string]uint16{}
		a.pathIdx = pathTable{}
	}
}

// Period reports the period journeys must end in (zero: none).
func (a *Aggregate) Period() Period { return a.period }

// OutsidePeriod reports the journeys left out because they ended outside
// the period (see WithPeriod); they are in neither Totals nor Unattributed.
func (a *Aggregate) OutsidePeriod() Totals { return a.outside.totals(a.Currency()) }

// Lookback reports the lookback window (0: none).
func (a *Aggregate) Lookback() time.Duration { return a.lookback }

// HasTimes reports whether every journey came with touch times and
// milestones, which the time-decay, W-shaped and full-path models need.
func (a *Aggregate) HasTimes() bool { return !a.noTimes }

// Totals reports the journeys, conversions and value that went in, credited
// or not: Totals() = credited + Unattributed().
func (a *Aggregate) Totals() Totals { return a.total.totals(a.Currency()) }

// Unattributed reports the journeys that no model can credit: those without
// touches, and converting journeys with no touch inside the lookback window.
func (a *Aggregate) Unattributed() Totals { return a.unattributed.totals(a.Currency()) }

// attributable is what models credit: the conversions and value of journeys
// with at least one touch.
func (a *Aggregate) attributable() counts {
	return counts{
		journeys:    a.total.journeys - a.unattributed.journeys,
		conversions: a.total.conversions - a.unattributed.conversions,
		value:       a.total.value - a.unattributed.value,
	}
}

// Channels returns the distinct channels seen, sorted.
func (a *Aggregate) Channels() []string {
	out := append([]string(nil), a.chans...)
	sort.Strings(out)
	return out
}

// Paths returns the distinct paths, sorted by their channel sequence.
func (a *Aggregate) Paths() []Path {
	out := make([]Path, len(a.paths))
	keys := make([]string, len(a.paths))
	for i, p := range a.paths {
		out[i] = Path{Channels: a.decode(p.key), Journeys: p.journeys, Conversions: p.conversions, Value: money.New(p.value, a.Currency())}
		keys[i] = strings.Join(out[i].Channels, "\x00")
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return keys[idx[i]] < keys[idx[j]] })
	sorted := make([]Path, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	return sorted
}

func (a *Aggregate) decode(key string) []string {
	out := make([]string, len(key)/2)
	for i := range out {
		out[i] = a.chans[keyID(key, i)]
	}
	return out
}

func keyID(key string, i int) uint16 { return uint16(key[2*i]) | uint16(key[2*i+1])<<8 }

// channel returns the id of the raw channel name (normalised by the
// aggregate's channel map), adding it if new; n is its number of touches.
func (a *Aggregate) channel(name string, n int64) (uint16, error) {
	if a.norm != nil {
		return a.rawChannel(name, n)
	}
	return a.channelExact(name)
}

// channelExact returns the id of the channel name, adding it if new.
func (a *Aggregate) channelExact(name string) (uint16, error) {
	var hit *chanHit
	if len(name) > 0 {
		p := unsafe.StringData(name)
		hit = &a.chanHot[(uintptr(unsafe.Pointer(p))>>3)&63]
		if hit.p == p && hit.n == len(name) {
			return hit.id, nil // the same bytes: the same string
		}
	}
	a.init()
	if id, ok := a.chanID[name]; ok {
		if hit != nil {
			*hit = chanHit{unsafe.StringData(name), len(name), id}
		}
		return id, nil
	}
	if len(a.chans) >= math.MaxUint16 {
		return 0, ErrTooManyChannels
	}
	id := uint16(len(a.chans))
	a.chanID[name] = id
	a.chans = append(a.chans, name)
	return id, nil
}

// chanHit is one entry of Aggregate.chanHot: the string at p of n bytes
// is channel id. Holding p keeps the string alive, so its memory is never
// reused for other bytes while cached.
type chanHit struct {
	p  *byte
	n  int
	id uint16
}

func (a *Aggregate) addPathKey(key []byte, journeys, conversions, value int64) *pathStat {
	a.init()
	if i, ok := a.pathIdx.get(key, a.paths); ok {
		p := &a.paths[i]
		p.journeys += journeys
		p.conversions += conversions
		p.value += value
		return p
	}
	k := string(key)
	if len(a.paths) == cap(a.paths) {
		a.paths = append(make([]pathStat, 0, 2*cap(a.paths)+64), a.paths...) // double, not 1.25×
	}
	a.paths = append(a.paths, pathStat{key: k, journeys: journeys, conversions: conversions, value: value})
	a.pathIdx.put(k, int32(len(a.paths)-1), a.paths)
	return &a.paths[len(a.paths)-1]
}

// Add adds one journey. The journey is validated (touches in time order, none
// after the conversion, value only on a converted journey, in the
// aggregate's currency — a zero value may have none); an invalid one is
// rejected with an *Error about the journey (matching ErrInvalidJourney,
// or money.ErrCurrencyMismatch) and leaves the aggregate unchanged. Add
// does not keep j or its touches.
func (a *Aggregate) Add(j Journey) (err error) {
	defer diag.Recover(&err, "attribution: Aggregate.Add")
	if err := j.validate(); err != nil {
		return err
	}
	return a.add(&j)
}

// add is Add without the panic guard and the validation, for the touch
// reader, which has checked everything validate checks, row by row.
func (a *Aggregate) add(j *Journey) error {
	if j.Value.Currency != a.currency || !a.currencyOK {
		if err := a.checkCurrency(j.ID, j.Value); err != nil {
			return err
		}
	}
	touches := j.Touches
	if a.lookback > 0 && j.Converted {
		from := j.ConversionTime.Add(-a.lookback)
		k := 0
		for k < len(touches) && touches[k].Time.Before(from) {
			k++
		}
		touches = touches[k:] // touches are in time order: the window is a suffix
	}
	in := counts{journeys: 1}
	if j.Converted {
		in.conversions, in.value = 1, j.Value.Amount
	}
	if !a.period.IsZero() {
		end := j.ConversionTime
		if !j.Converted && len(j.Touches) > 0 {
			end = j.Touches[len(j.Touches)-1].Time
		}
		if !end.IsZero() && !a.period.Contains(end) {
			if !a.outside.fits(in) {
				return errTotalOverflow
			}
			a.outside.add(in)
			return nil
		}
	}
	if !a.total.fits(in) {
		return errTotalOverflow
	}
	// Register channels first so a failure leaves the counts untouched.
	key := a.keybuf[:0]
	for i := range touches {
		id, err := a.channel(touches[i].Channel, 1)
		if err != nil {
			return err
		}
		key = binary.LittleEndian.AppendUint16(key, id)
	}
	a.keybuf = key
	a.cache = nil
	a.total.add(in)
	if len(touches) == 0 {
		a.unattributed.add(in)
		return nil
	}
	p := a.addPathKey(key, in.journeys, in.conversions, in.value)
	if j.Converted {
		a.creditJourney(p, key, touches, j.ConversionTime, float64(j.Value.Amount))
	}
	return nil
}

// checkCurrency rejects a value in another currency than the aggregate's; a
// zero value without a currency is accepted.
func (a *Aggregate) checkCurrency(id string, v money.Money) error {
	if a.currency == "" {
		a.currency = DefaultCurrency // the zero Aggregate
	}
	cur := a.currency
	if v.Currency == cur || (v.Currency == "" && v.Amount == 0) {
		if a.currencyOK {
			return nil
		}
		if err := cur.Validate(); err != nil {
			return journeyError(id, err, "the aggregate's currency: %v", err)
		}
		a.currencyOK = true
		return nil
	}
	return journeyError(id, money.ErrCurrencyMismatch, "value in %q, but the aggregate is in %s (one currency per aggregate)", string(v.Currency), cur)
}

// AddPath adds journeys known only by their channel path, as in the
// path-aggregated format: conversions converting journeys with total value
// and nulls journeys that did not convert. An aggregate with paths has no
// times or milestones, so the time-decay, W-shaped and full-path models
// refuse it, and so does a lookback window.
func (a *Aggregate) AddPath(channels []string, conversions, nulls int64, value money.Money) (err error) {
	defer diag.Recover(&err, "attribution: Aggregate.AddPath")
	switch {
	case conversions < 0 || nulls < 0 || value.Amount < 0:
		return fmt.Errorf("%w: negative count or value", ErrInvalidJourney)
	case conversions == 0 && value.Amount != 0:
		return fmt.Errorf("%w: value %d on a path without conversions", ErrInvalidJourney, value.Amount)
	case a.lookback > 0:
		return fmt.Errorf("%w: a lookback window needs touch times", ErrNeedsTimes)
	case !a.period.IsZero():
		return fmt.Errorf("%w: a period needs conversion times", ErrNeedsTimes)
	}
	if err := a.checkCurrency("", value); err != nil {
		e := err.(*Error)
		e.Kind, e.ID = "path", strings.Join(channels, " > ")
		return e
	}
	key := a.keybuf[:0]
	for _, c := range channels {
		if c == "" {
			return fmt.Errorf("%w: empty channel in path", ErrInvalidJourney)
		}
		id, err := a.channel(c, satAdd(conversions, nulls))
		if err != nil {
			return err
		}
		key = binary.LittleEndian.AppendUint16(key, id)
	}
	a.keybuf = key
	a.cache = nil
	a.noTimes = true
	if conversions > math.MaxInt64-nulls {
		return errTotalOverflow
	}
	in := counts{journeys: conversions + nulls, conversions: conversions, value: value.Amount}
	if !a.total.fits(in) {
		return errTotalOverflow
	}
	a.total.add(in)
	if len(channels) == 0 {
		a.unattributed.add(in)
		return nil
	}
	if in.journeys > 0 {
		a.addPathKey(key, in.journeys, in.conversions, in.value)
	}
	return nil
}

// Merge adds everything in o to a. Both must have been built with the same
// half-life, lookback window and currency (ErrIncompatible otherwise). o is
// unchanged; a nil o adds nothing.
func (a *Aggregate) Merge(o *Aggregate) (err error) {
	defer diag.Recover(&err, "attribution: Aggregate.Merge")
	if o == nil {
		return nil
	}
	a.init()
	if a.HalfLife() != o.HalfLife() || a.lookback != o.lookback || a.Currency() != o.Currency() || !samePeriod(a.period, o.period) {
		return fmt.Errorf("%w: half-life %v/%v, lookback %v/%v, currency %s/%s, period %v/%v", ErrIncompatible,
			a.HalfLife(), o.HalfLife(), a.lookback, o.lookback, a.Currency(), o.Currency(), a.period, o.period)
	}
	if !a.total.fits(o.total) {
		return errTotalOverflow
	}
	remap := make([]uint16, len(o.chans))
	for i, name := range o.chans {
		id, err := a.channelExact(name)
		if err != nil {
			return err
		}
		remap[i] = id
	}
	a.cache = nil
	var key []byte
	for _, p := range o.paths {
		key = key[:0]
		for i := 0; i < len(p.key)/2; i++ {
			key = binary.LittleEndian.AppendUint16(key, remap[keyID(p.key, i)])
		}
		dst := a.addPathKey(key, p.journeys, p.conversions, p.value)
		for _, c := range p.jc {
			s := dst.slot(remap[c.id])
			for m := range c.c {
				s.c[m][0].addFixed(c.c[m][0])
				s.c[m][1].addFixed(c.c[m][1])
			}
		}
	}
	a.mergeRenamed(o)
	a.total.add(o.total)
	a.unattributed.add(o.unattributed)
	a.outside.add(o.outside)
	a.noTimes = a.noTimes || o.noTimes
	return nil
}

// W-shaped and full-path weights of each role and of the touches without one.
const (
	wRole, wRest   = 0.30, 0.10
	fpRole, fpRest = 0.225, 0.10
)

// creditJourney accumulates one converting journey's time-decay, W-shaped
// and full-path credit; key holds the touches' channel ids.
func (a *Aggregate) creditJourney(p *pathStat, key []byte, touches []Touchpoint, conv time.Time, value float64) {
	n := len(touches)
	if cap(a.weights) < n {
		a.weights = make([]float64, n)
	}
	w := a.weights[:n]
	id := func(i int) uint16 { return binary.LittleEndian.Uint16(key[2*i:]) }
	spread := func(model int) {
		var sum float64
		for _, x := range w {
			sum += x
		}
		for i, x := range w {
			if x != 0 {
				f := x / sum
				s := p.slot(id(i))
				s.c[model][0].add(f)
				s.c[model][1].add(f * value)
			}
		}
	}

	// Time decay: 2^(−Δt/h) with Δt to the conversion. Weights are taken
	// relative to the latest touch (exponent ≥ 0 shifted to its minimum),
	// which cancels in the normalisation but keeps them from underflowing.
	h := a.HalfLife().Seconds()
	last := conv.Sub(touches[n-1].Time).Seconds()
	for i := range touches {
		dt := conv.Sub(touches[i].Time).Seconds()
		w[i] = math.Exp2(-(dt - last) / h)
	}
	spread(jTimeDecay)

	lead, opp := -1, -1
	for i := range touches {
		if lead < 0 && touches[i].LeadCreated {
			lead = i
		}
		if opp < 0 && touches[i].OppCreated {
			opp = i
		}
	}
	// W-shaped: first touch, lead creation, opportunity creation 30% each;
	// 10% over the other touches before opportunity creation (all other
	// touches when there is none). Missing roles drop out in the
	// normalisation.
	for i := range w {
		w[i] = 0
	}
	w[0] += wRole
	if lead >= 0 {
		w[lead] += wRole
	}
	if opp >= 0 {
		w[opp] += wRole
	}
	limit := n
	if opp >= 0 {
		limit = opp
	}
	var others int
	for i := 0; i < limit; i++ {
		if i != 0 && i != lead && i != opp {
			others++
		}
	}
	for i := 0; i < limit; i++ {
		if i != 0 && i != lead && i != opp {
			w[i] += wRest / float64(others)
		}
	}
	spread(jWShaped)

	// Full path: the W roles plus the closing (last) touch, 22.5% each; 10%
	// over all the other touches.
	for i := range w {
		w[i] = 0
	}
	w[0] += fpRole
	if lead >= 0 {
		w[lead] += fpRole
	}
	if opp >= 0 {
		w[opp] += fpRole
	}
	w[n-1] += fpRole
	others = 0
	for i := 0; i < n; i++ {
		if i != 0 && i != lead && i != opp && i != n-1 {
			others++
		}
	}
	for i := 0; i < n; i++ {
		if i != 0 && i != lead && i != opp && i != n-1 {
			w[i] += fpRest / float64(others)
		}
	}
	spread(jFullPath)
}

// satAdd is x + y for non-negative counts, saturating at math.MaxInt64.
func satAdd(x, y int64) int64 {
	if x > math.MaxInt64-y {
		return math.MaxInt64
	}
	return x + y
}
