// Package record is the module's one data model for the objects every
// revenue-marketing package talks about, from the first touch to recurring
// revenue: accounts, leads, touches, stage changes, deals, spend and
// subscription events, with the calendar Period they are reported over.
//
// Packages consume these types directly (revenue.Deal is record.Deal,
// mrr.Event is record.SubscriptionEvent) or convert from them with one
// documented function (attribution.FromRecord turns a touch into the
// touchpoint the models credit; engine.Journey a deal and its touches into
// an attribution journey through it). There is no second touch or spend
// type: spend is record.Spend, and its returns are engine.Return, through
// revenue.ROI.
//
// # Reading files
//
// Every type has a CSV and a JSON-lines form with the same names: a CSV
// file starts with a header naming its columns (any order, case-insensitive;
// unknown or repeated columns are errors), a JSON-lines file holds one
// object per line whose keys are the same column names. The format follows
// the file name (".jsonl", ".ndjson" and ".json" are JSON lines, anything
// else CSV) unless WithFormat says otherwise. Values:
//
//   - times are RFC 3339 ("2026-01-05T09:30:00Z") or a date ("2026-01-05",
//     midnight UTC); the zero date is rejected;
//   - amounts are integers of minor units (cents), zero or positive; the
//     currency is the row's currency column when it has one, else the
//     read's currency (WithCurrency, default USD);
//   - booleans are true/false, yes/no or 1/0 (empty is false).
//
// A bad row is reported as a *diag.Error with the file, line and column
// (the 1-based field number in CSV, 0 in JSON lines, where ID names the key)
// and the read goes on with the next row; Scan yields each problem in place,
// Read collects them into a diag.List sorted by position beside nothing —
// a batch never drops a record silently. The column sets are documented on
// each Scan function.
//
// All types are plain values, safe to copy; the readers are not shared
// between goroutines.
package record
