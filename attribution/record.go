package attribution

import "github.com/revengine/revengine/record"

// FromRecord converts a record touch (the module's one touch type, which
// the record readers and the engine produce) to the touchpoint the models
// credit. It is the one record → attribution conversion: the channel,
// time, campaign and milestone flags carry over; the touch's kind, lead,
// deal and source line do not matter to a model and are dropped.
func FromRecord(t record.Touch) Touchpoint {
	return Touchpoint{Channel: t.Channel, Time: t.At, Campaign: t.Campaign, LeadCreated: t.LeadCreated, OppCreated: t.OppCreated}
}

// Record converts the touchpoint back to a record touch of the given kind,
// the inverse of FromRecord for the fields a touchpoint has.
func (t Touchpoint) Record(kind record.TouchKind) record.Touch {
	return record.Touch{At: t.Time, Channel: t.Channel, Campaign: t.Campaign, Kind: kind, LeadCreated: t.LeadCreated, OppCreated: t.OppCreated}
}
