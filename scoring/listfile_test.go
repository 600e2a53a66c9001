package scoring

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

const listFileRules = `version: "1"
fields: {domain: string}
lists:
  accounts: {file: accounts.txt}
scores:
  s:
    rules:
      - {id: target, when: domain in lists.accounts, points: 10}
`

func TestListFromFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("rules.yaml", listFileRules)
	write("accounts.txt", "\ufeff# target accounts\r\nacme.io\r\n\r\n  globex.com  \ninitech.net\n")
	rs, err := LoadFile(filepath.Join(dir, "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for domain, want := range map[string]float64{"acme.io": 10, "globex.com": 10, "initech.net": 10, "# target accounts": 0, "": 0} {
		res, err := rs.Score(context.Background(), map[string]any{"domain": domain}, at)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := res.Score("s"); got != want {
			t.Errorf("%q: %v, want %v", domain, got, want)
		}
	}
	// The hash covers the list: a changed list is a different rule set.
	h1 := rs.Hash()
	write("accounts.txt", "acme.io\n")
	rs2, err := LoadFile(filepath.Join(dir, "rules.yaml"))
	if err != nil || rs2.Hash() == h1 {
		t.Fatalf("hash unchanged after the list changed: %v", err)
	}
	// Parse reads no files unless told where.
	if _, err := Parse("rules.yaml", []byte(listFileRules)); err == nil || !strings.Contains(err.Error(), "need LoadFile or the WithFS option") {
		t.Fatalf("Parse without WithFS: %v", err)
	}
	fsys := fstest.MapFS{"accounts.txt": {Data: []byte("acme.io\n" + strings.Repeat("x", 3000) + "\n")}}
	_, err = Parse("rules.yaml", []byte(listFileRules), WithFS(fsys))
	var e *Error
	if !errors.As(err, &e) || e.File != "accounts.txt" || e.Line != 2 || !strings.Contains(err.Error(), "MaxStringBytes") {
		t.Fatalf("long item: %v", err)
	}
	// No escaping the directory.
	src := strings.Replace(listFileRules, "accounts.txt", "../../etc/passwd", 1)
	if _, err := Parse("rules.yaml", []byte(src), WithFS(fsys)); err == nil || !strings.Contains(err.Error(), "without ..") {
		t.Fatalf("path outside: %v", err)
	}
	if _, err := Parse("rules.yaml", []byte(strings.Replace(listFileRules, "accounts.txt", "nope.txt", 1)), WithFS(fsys)); err == nil || !strings.Contains(err.Error(), "rules.yaml:4:") {
		t.Fatalf("missing file: %v", err)
	}
}
