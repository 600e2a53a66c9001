package revbeam

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
)

// ReadFiles matches glob (on any Beam filesystem whose package is imported:
// local, gs://, s3://, …) and returns the matched files as a PCollection of
// fileio.ReadableFile; a glob matching nothing fails the pipeline, so an
// empty input is never mistaken for empty data. Files ending in .gz are
// decompressed.
func ReadFiles(s beam.Scope, glob string) beam.PCollection {
	s = s.Scope("revengine.ReadFiles")
	return fileio.ReadMatches(s, fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow()))
}
