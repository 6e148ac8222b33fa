package report

import (
	"os"
	"testing"
)

func TestDumpFixture(t *testing.T) {
	out := os.Getenv("REPORT_FIXTURE_DB")
	if out == "" {
		t.Skip()
	}
	writeDB(t, out, "/src/kernel", fixtureCommits())
}
