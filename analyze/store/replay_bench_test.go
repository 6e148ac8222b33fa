package store

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/runtime/cputime"
)

// BenchmarkReplayWrites writes again, into a new database, what a real
// analysis wrote: the commits, change rows and summaries of the database
// UPSYNTH_REPLAY_DB names (an SQLite file of `upsynth analyze`), in the
// order analyze wrote the commits, batched as analyze batches them, with
// the summaries spread evenly over the batches. It measures the writer
// alone on a real history's shape (random commit ids, vendor trees of a
// million rows), where BenchmarkWriteChanges has one synthetic commit.
// UPSYNTH_REPLAY_LIMIT bounds the number of commits. The source must be of
// this schema version (open it once with upsynth to migrate it).
//
//	UPSYNTH_REPLAY_DB=f.db go test ./analyze/store -run '^$' -bench ReplayWrites -benchtime 1x
func BenchmarkReplayWrites(b *testing.B) {
	from := os.Getenv("UPSYNTH_REPLAY_DB")
	if from == "" {
		b.Skip("UPSYNTH_REPLAY_DB is unset: set it to the SQLite database of a real analysis to replay its writes")
	}
	limit := 1 << 30
	if v := os.Getenv("UPSYNTH_REPLAY_LIMIT"); v != "" {
		var err error
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			b.Fatalf("UPSYNTH_REPLAY_LIMIT=%q: want a number of commits", v)
		}
	}
	ctx := context.Background()
	src, err := sql.Open("sqlite", fileURI(from)+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	batches := replayBatches(b, ctx, src, limit)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, repo, run := benchStore(b, "replay.db")
		b.StartTimer()
		cpu0 := cputime.Process()
		rows := 0
		for _, bt := range batches {
			bt.Repo, bt.Run = repo, run
			if err := s.Write(ctx, bt); err != nil {
				b.Fatal(err)
			}
			for _, c := range bt.Commits {
				rows += len(c.Changes)
			}
		}
		cpu := cputime.Process() - cpu0
		b.StopTimer()
		if i == 0 {
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(cpu.Seconds(), "cpu-s")
		}
		s.Close()
		b.StartTimer()
	}
}

// replayBatches reads the source database into the batches analyze would
// have written: commits in rowid order, a batch closed at flushRows change
// rows (analyze's threshold) or at 64 commits.
func replayBatches(b *testing.B, ctx context.Context, src *sql.DB, limit int) []*Batch {
	rows, err := src.QueryContext(ctx, `SELECT sha, parent, parents, is_merge, author, author_time, subject, message,
		coalesce(class, ''), coalesce(purpose, ''), coalesce(purpose_reason, ''), hazards, reason FROM commits ORDER BY rowid LIMIT ?`, limit)
	if err != nil {
		b.Fatal(err)
	}
	var commits []*Commit
	for rows.Next() {
		c := &Commit{}
		var parents, hazards, at string
		var merge int
		if err := rows.Scan(&c.Sha, &c.Parent, &parents, &merge, &c.Author, &at, &c.Subject, &c.Message,
			&c.Class, &c.Purpose, &c.PurposeReason, &hazards, &c.Reason); err != nil {
			b.Fatal(err)
		}
		c.Parents, c.Merge, c.Hazards = strings.Fields(parents), merge == 1, strings.Split(hazards, ",")
		c.AuthorTime, _ = time.Parse(time.RFC3339, at)
		commits = append(commits, c)
	}
	rows.Close()
	bySha := map[string]*Commit{}
	for _, c := range commits {
		bySha[c.Sha] = c
	}
	crows, err := src.QueryContext(ctx, `SELECT sha, file, entity, name, change, class, hazards, engine, reason, detail FROM changes ORDER BY sha, seq`)
	if err != nil {
		b.Fatal(err)
	}
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	for crows.Next() {
		var sha, hazards string
		var ch Change
		if err := crows.Scan(&sha, &ch.File, &ch.Entity, &ch.Name, &ch.Change, &ch.Class, &hazards, &ch.Engine, &ch.Reason, &ch.Detail); err != nil {
			b.Fatal(err)
		}
		c := bySha[sha]
		if c == nil {
			continue
		}
		ch.File, ch.Entity, ch.Change, ch.Engine, ch.Reason = in(ch.File), in(ch.Entity), in(ch.Change), in(ch.Engine), in(ch.Reason)
		for _, h := range strings.Split(hazards, ",") {
			if h != "" {
				ch.Hazards = append(ch.Hazards, classify.Hazard(h))
			}
		}
		c.Changes = append(c.Changes, ch)
	}
	crows.Close()
	var blobs []*Blob
	brows, err := src.QueryContext(ctx, `SELECT blob, schema, fingerprint, deps_key, path, lang, engine, size, status, reason, n_errors, summary, parse_ms, deps FROM blobs`)
	if err != nil {
		b.Fatal(err)
	}
	for brows.Next() {
		bl := &Blob{}
		var lang, engine string
		var data []byte
		if err := brows.Scan(&bl.Blob, &bl.Schema, &bl.Fingerprint, &bl.Deps, &bl.Path, &lang, &engine, &bl.Size, &bl.Status, &bl.Reason, &bl.errors, &data, &bl.ParseMS, &bl.DepState); err != nil {
			b.Fatal(err)
		}
		if data != nil {
			bl.Encoded, bl.released, bl.lang, bl.engine = data, true, cparse.Lang(lang), cparse.Engine(engine)
		}
		blobs = append(blobs, bl)
	}
	brows.Close()
	var batches []*Batch
	cur, n := &Batch{}, 0
	for _, c := range commits {
		cur.Commits = append(cur.Commits, c)
		n += len(c.Changes)
		if n >= 100_000 || len(cur.Commits) >= 64 {
			batches = append(batches, cur)
			cur, n = &Batch{}, 0
		}
	}
	if len(cur.Commits) > 0 {
		batches = append(batches, cur)
	}
	per := (len(blobs) + len(batches) - 1) / max(len(batches), 1)
	for i, bt := range batches {
		lo := min(i*per, len(blobs))
		bt.Blobs = blobs[lo:min(lo+per, len(blobs))]
	}
	return batches
}
