// Command revengine is the command-line face of the revengine library, for
// teams who keep their revenue-marketing rules and data in git.
//
// Usage:
//
//	revengine <command> [flags] [args]
//
// Run "revengine help" for the list of commands and "revengine <command> -h"
// for the flags of one. Exit status: 0 on success, 1 on findings (failed
// tests, invalid rules, rejected records), 2 on usage errors. Errors go to
// standard error, results to standard output.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"

	"github.com/revengine/revengine/scoring"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0 // success
	exitFindings = 1 // failed tests, invalid rules, rejected records
	exitUsage    = 2 // bad flags or arguments
)

// cmdEnv is what a subcommand may touch: its streams. Tests run commands in
// process with buffers in place of the real streams.
type cmdEnv struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// command is one subcommand. Each lives in its own file and registers itself
// from an init function, so packages can add commands without touching main.go.
type command struct {
	Name    string // e.g. "score"
	Summary string // one line for "revengine help"
	Run     func(ctx context.Context, env *cmdEnv, args []string) int
}

var commands = map[string]*command{}

// register adds a subcommand; called from init functions.
func register(c *command) {
	if _, dup := commands[c.Name]; dup {
		panic("revengine: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], &cmdEnv{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, env *cmdEnv) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.Run(ctx, env, []string{"-h"})
			}
		}
		usage(env.Stdout)
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "revengine: unknown command %q\n", name)
		usage(env.Stderr)
		return exitUsage
	}
	return c.Run(ctx, env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: revengine <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "revengine <command> -h" for a command's flags.`)
}

// newFlagSet returns a flag set for a subcommand whose usage text is the
// given synopsis followed by the flag defaults.
func newFlagSet(env *cmdEnv, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: revengine %s %s\n", name, synopsis)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(fs.Output(), "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args into fs. Flags may come before or after the
// positional arguments ("revengine score LEADS.jsonl --rules r.yaml"), as
// users write them; after "--" everything is positional. Afterwards
// fs.Args() holds the positional arguments in order. It reports whether the
// command should go on; when it should not, code is the exit code to return
// (0 for -h).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK, false
			}
			return exitUsage, false
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Leave exactly the positional arguments in fs.Args().
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return exitUsage, false
	}
	return 0, true
}

// usageError prints a usage problem and the command's usage, returning exitUsage.
func usageError(fs *flag.FlagSet, format string, a ...any) int {
	fmt.Fprintf(fs.Output(), "revengine %s: %s\n", fs.Name(), fmt.Sprintf(format, a...))
	fs.Usage()
	return exitUsage
}

// openInput opens a named input; "-" or "" is standard input. The returned
// name is what error messages should call it.
func openInput(env *cmdEnv, path string) (r io.ReadCloser, name string, err error) {
	if path == "" || path == "-" {
		return io.NopCloser(env.Stdin), "<stdin>", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, err
	}
	return f, path, nil
}

// errorf prints "revengine NAME: message" to stderr.
func errorf(env *cmdEnv, name, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	fmt.Fprintf(env.Stderr, "revengine %s: %s\n", name, strings.TrimRight(msg, "\n"))
}

// recordMessage is a rejected record's error for a line that the caller
// prefixes with "name:line: ": an error already placed at that record
// (a *scoring.Error whose File and Line are the record's) is given without
// its position, so that the position is printed once.
func recordMessage(err error, name string, line int) string {
	var e *scoring.Error
	if errors.As(err, &e) && e.File == name && e.Line == line && e.Column == 0 {
		c := *e
		c.File, c.Line = "", 0
		return c.Error()
	}
	return err.Error()
}
