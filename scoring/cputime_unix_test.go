//go:build unix

package scoring

import "syscall"

// cpuNanos is the CPU time (user + system) the process has used so far, in
// nanoseconds. On a machine shared with other work it measures a
// benchmark's own cost better than the wall clock, which also counts the
// time the process waited for a core.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
