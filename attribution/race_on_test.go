//go:build race

package attribution

const raceEnabled = true
