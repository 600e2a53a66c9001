// Package attribution credits conversions and revenue to the marketing
// channels of the journeys that earned them.
package attribution
