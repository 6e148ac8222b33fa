// Package store is the analysis database: SQLite through modernc.org/sqlite
// (the embedded default, a file) or PostgreSQL through pgx (a server a team
// and distributed workers share), one Store with both behind it, chosen by
// the --db value (IsPostgres). It owns the versioned schema (schema.go,
// schema_pg.go, documented in docs/database.md), batch writes in one
// transaction each so an interrupted run loses at most one batch, and the
// blob-summary memo that makes re-runs parse nothing.
package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/fxamacker/cbor/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/klauspost/compress/zstd"
	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/cparse"
)

// Store is an open analysis database.
type Store struct {
	db   *sql.DB
	pg   bool          // PostgreSQL, not SQLite
	pool *pgxpool.Pool // PostgreSQL only
	name string        // the database as messages show it
}

// Open opens (creating if needed) the database at path for writing: it
// checks an existing database's integrity (PRAGMA quick_check) and
// migrates it to the current schema. A postgres:// or postgresql:// URL
// opens that PostgreSQL database instead (which must exist; its schema is
// created or migrated as a file's is).
func Open(ctx context.Context, path string) (*Store, error) {
	if IsPostgres(path) {
		s, err := openPostgres(ctx, path, false)
		if err != nil {
			return nil, err
		}
		if err := s.pgMigrate(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		return s, nil
	}
	// temp_store(MEMORY) keeps the statement journal of each multi-row
	// insert in memory: in a temporary file it was a write system call per
	// page, 13% of the writer's time on FreeRTOS-Kernel's history
	// (BenchmarkReplayWrites). Only writers use it; readers' sorts may be
	// large.
	dsn := fileURI(path) + "?_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, name: path}
	if err := s.quickCheck(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: checking: %w", path, err)
	}
	if err := s.pageSizeAndWAL(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: setting WAL journaling: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// pageSize is the page size of a database this package creates. SQLite's
// default of 4 KiB made FreeRTOS-Kernel's history (1.4 GB, three million
// change rows) 340,000 pages, each written to the WAL, read back and
// written again by the checkpoint; 16 KiB pages are a quarter of the
// system calls and b-tree splits (BenchmarkReplayWrites). An existing
// database keeps the size it was made with.
const pageSize = 16384

// pageSizeAndWAL sets the page size of a new database and then WAL
// journaling, in that order: the page size of a database in WAL mode can
// no longer change, and the driver runs a DSN's pragmas sorted by name
// (journal_mode before page_size). journal_mode is kept in the file, so
// every later connection of the pool opens in WAL mode.
//
// Switching to WAL takes the database's exclusive lock, and SQLite
// answers SQLITE_BUSY at once, without its busy timeout, while another
// connection reads it: processes opening a new database together (an
// analysis and its workers) try again until the busy timeout's ten
// seconds have passed. A database already in WAL mode is not switched.
func (s *Store) pageSizeAndWAL(ctx context.Context) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if mode == "wal" {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d", pageSize)); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		if err == nil {
			break
		}
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, not wal (is the database read-only, or on a file system without shared memory?)", mode)
	}
	return nil
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (another connection
// holds the lock needed).
func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

// ErrCorrupt is returned when a database fails its integrity check.
var ErrCorrupt = errors.New("the database is corrupt")

// quickCheck runs SQLite's quick_check: a damaged page (a flipped byte in
// the b-tree structure) is refused before anything is written over it.
func (s *Store) quickCheck(ctx context.Context) error {
	msgs, err := s.pragmaCheck(ctx, "quick_check")
	if err != nil {
		return err
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%w (%s); `upsynth db check` lists the damage", ErrCorrupt, msgs[0])
	}
	return nil
}

// pragmaCheck runs an integrity pragma and returns its complaints (none
// when it answers "ok").
func (s *Store) pragmaCheck(ctx context.Context, pragma string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		if strings.Contains(err.Error(), "malformed") || strings.Contains(err.Error(), "not a database") {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		if m != "ok" {
			out = append(out, m)
		}
	}
	return out, rows.Err()
}

// NoDatabaseError is returned by the commands that need an analysis
// database when there is none at Path: every command words it the same.
type NoDatabaseError struct {
	Path string
	Err  error // from os.Stat
}

func (e *NoDatabaseError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return fmt.Sprintf("no analysis database %s (run `upsynth analyze` first)", e.Path)
	}
	return fmt.Sprintf("no analysis database %s (run `upsynth analyze` first): %v", e.Path, e.Err)
}

func (e *NoDatabaseError) Unwrap() error { return e.Err }

// Exists returns a *NoDatabaseError when there is no file at path (a
// PostgreSQL URL is not checked here: opening it says whether it answers).
func Exists(path string) error {
	if IsPostgres(path) {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return &NoDatabaseError{Path: path, Err: err}
	}
	return nil
}

// OpenReader opens an existing analysis database for reading only: it
// never creates, migrates or otherwise writes the file, so a 0-byte file
// or a database of another schema is refused, not changed. A PostgreSQL
// URL is opened with read-only sessions.
func OpenReader(ctx context.Context, path string) (*Store, error) {
	if IsPostgres(path) {
		return openPostgresReader(ctx, path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, &NoDatabaseError{Path: path, Err: err}
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not an analysis database", path)
	}
	db, v, err := openReadOnly(ctx, path, "mode=ro")
	if err != nil {
		// A database in WAL mode needs its -shm file, which a reader
		// creates beside it: on a read-only disk or directory (where no
		// analyze can be writing either) it is read as immutable instead.
		var rerr error
		if db, v, rerr = openReadOnly(ctx, path, "immutable=1"); rerr != nil {
			return nil, fmt.Errorf("%s is not an analysis database: %w", path, err)
		}
	}
	switch {
	case v == 0:
		db.Close()
		return nil, fmt.Errorf("%s is not an analysis database (empty, or no upsynth schema)", path)
	case v > len(migrations):
		db.Close()
		return nil, fmt.Errorf("%s: database schema version %d is newer than this upsynth (%d)", path, v, len(migrations))
	case v < len(migrations):
		db.Close()
		return nil, fmt.Errorf("%s: database schema version %d is older than this upsynth (%d): run `upsynth analyze` or `upsynth db migrate` on it first", path, v, len(migrations))
	}
	return &Store{db: db, name: path}, nil
}

// openPostgresReader opens a PostgreSQL analysis database for reading and
// refuses one without upsynth's schema or of another version.
func openPostgresReader(ctx context.Context, url string) (*Store, error) {
	s, err := openPostgres(ctx, url, true)
	if err != nil {
		return nil, err
	}
	v, err := pgVersion(ctx, s.db)
	if err == nil {
		err = checkVersion(s.name, v)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// checkVersion refuses to read a database whose schema version is not
// this build's.
func checkVersion(name string, v int) error {
	switch {
	case v == 0:
		return &NoDatabaseError{Path: name, Err: errors.New("it holds no upsynth schema")}
	case v > len(migrations):
		return fmt.Errorf("%s: database schema version %d is newer than this upsynth (%d)", name, v, len(migrations))
	case v < len(migrations):
		return fmt.Errorf("%s: database schema version %d is older than this upsynth (%d): run `upsynth analyze` or `upsynth db migrate` on it first", name, v, len(migrations))
	}
	return nil
}

// openReadOnly opens the database with the URI parameter param (mode=ro
// or immutable=1) and reads its schema version.
func openReadOnly(ctx context.Context, path, param string) (*sql.DB, int, error) {
	db, err := sql.Open("sqlite", fileURI(path)+"?"+param+"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, 0, err
	}
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		db.Close()
		return nil, 0, err
	}
	return db, v, nil
}

// fileURI is the SQLite URI of the file at path: characters the URI gives
// a meaning (? starts the parameters, # a fragment, % an escape) are
// escaped, so a database named "we?ird.db" is that file, not "we".
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

func (s *Store) migrate(ctx context.Context) error {
	for {
		// Transactions take the write lock when they begin (_txlock), so
		// two processes opening a new database do not both migrate it.
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			tx.Rollback()
			return fmt.Errorf("not an analysis database: %w", err)
		}
		if v > len(migrations) {
			tx.Rollback()
			return fmt.Errorf("database schema version %d is newer than this upsynth (%d)", v, len(migrations))
		}
		if v == len(migrations) {
			return tx.Rollback()
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// DB exposes the handle for read-only queries by reports.
func (s *Store) DB() *sql.DB { return s.db }

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// Repo returns the id of the repository at an absolute path, adding it.
func (s *Store) Repo(ctx context.Context, path string) (int64, error) {
	if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO repos(path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING`), path, now()); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id FROM repos WHERE path = ?`), path).Scan(&id)
	return id, err
}

// Repos lists the repositories in the database by id.
func (s *Store) Repos(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, path FROM repos`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}

// RunStats are the counters of one run.
type RunStats struct {
	Commits, Merges, Parsed, Reused, Problems int
}

// StartRun records a new run, first marking runs that never finished (the
// process was killed) as interrupted.
func (s *Store) StartRun(ctx context.Context, repo int64, args string) (int64, error) {
	if _, err := s.db.ExecContext(ctx, s.q(`UPDATE runs SET status = 'interrupted' WHERE repo_id = ? AND status = 'running'`), repo); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO runs(repo_id, started_at, status, args) VALUES (?, ?, 'running', ?) RETURNING id`), repo, now(), args).Scan(&id)
	return id, err
}

// FinishRun records a run's outcome; runErr nil means done.
func (s *Store) FinishRun(run int64, st RunStats, runErr error) error {
	status, msg := "done", ""
	if runErr != nil {
		status, msg = "failed", runErr.Error()
		if errors.Is(runErr, context.Canceled) {
			status = "interrupted"
		}
	}
	// Not the run's context: a cancelled run still records how it ended.
	_, err := s.db.Exec(s.q(`UPDATE runs SET finished_at = ?, status = ?, error = ?, commits_analyzed = ?, merges = ?,
		blobs_parsed = ?, blobs_reused = ?, problems = ? WHERE id = ?`),
		now(), status, msg, st.Commits, st.Merges, st.Parsed, st.Reused, st.Problems, run)
	return err
}

// Analyzed returns the set of commits of a repository already recorded.
func (s *Store) Analyzed(ctx context.Context, repo int64) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT sha FROM commits WHERE repo_id = ?`), repo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, err
		}
		out[sha] = true
	}
	return out, rows.Err()
}

// BlobKey identifies a memoized summary.
type BlobKey struct {
	Blob        string
	Schema      int
	Fingerprint string
	// Deps tells the parses of one blob apart by what they found in the
	// tree they were parsed in (deps.State.Key; Blob.DepState holds it):
	// "" for a parse that looked nothing up, DepsUnknown for a row
	// memoized before that was recorded.
	Deps string
}

// DepsUnknown is the Deps of a row written before schema version 5, which
// did not record what its parse looked up in its tree: valid for the blob
// wherever it is if its engine read no header (tolerant), unknown — so
// never reused — if it is precise.
const DepsUnknown = "?"

// Blob is a memoized summary of one blob.
type Blob struct {
	BlobKey
	Path    string
	Size    int64
	Status  string // ok | errors | unreadable
	Reason  string
	Summary *cparse.Summary // nil when unreadable
	// Encoded is EncodeSummary(Summary) when already computed.
	Encoded []byte
	ParseMS float64
	// DepState is what the parse found at each path it looked up in its
	// tree (deps.State, encoded): nil when it looked nothing up or, for
	// a row of DepsUnknown, when that was not recorded.
	DepState []byte

	// mu guards Summary and released across Release, Decoded and Peek:
	// the goroutine that classifies releases and decodes a blob while a
	// parse worker may read it (a respelled version's predecessor).
	mu sync.Mutex
	// released says Summary was dropped (Release) and is decoded again
	// from Encoded when asked for; lang, engine and errors describe it
	// meanwhile, for the row that stores it.
	released bool
	lang     cparse.Lang
	engine   cparse.Engine
	errors   int
}

// Release drops the decoded summary of a blob whose encoded form is kept,
// until Decoded is asked for it again. A commit that deletes a vendor tree
// needs thirteen thousand summaries at once to be classified, and none of
// them afterwards: kept decoded until written, they held half a gigabyte.
func (b *Blob) Release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Summary == nil || b.Encoded == nil {
		return
	}
	b.lang, b.engine, b.errors = b.Summary.Lang, b.Summary.Engine, len(b.Summary.Errors)
	b.Summary, b.released = nil, true
}

// Decoded is the blob's summary (nil when unreadable), decoded again from
// Encoded if it was released.
func (b *Blob) Decoded() (*cparse.Summary, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.released {
		sum, err := DecodeSummary(b.Encoded)
		if err != nil {
			return nil, fmt.Errorf("blob %s: released summary: %w", b.Blob, err)
		}
		b.Summary, b.released = sum, false
	}
	return b.Summary, nil
}

// Peek is the blob's summary like Decoded, but a released one is decoded
// for the caller alone and stays released: for a goroutine other than the
// one that releases it.
func (b *Blob) Peek() (*cparse.Summary, error) {
	b.mu.Lock()
	sum, released, encoded := b.Summary, b.released, b.Encoded
	b.mu.Unlock()
	if !released {
		return sum, nil
	}
	return DecodeSummary(encoded)
}

// LoadBlob returns a memoized summary, or nil when there is none.
func (s *Store) LoadBlob(ctx context.Context, k BlobKey) (*Blob, error) {
	b := &Blob{BlobKey: k}
	var data []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT path, size, status, reason, summary, parse_ms, deps FROM blobs
		WHERE blob = ? AND schema = ? AND fingerprint = ? AND deps_key = ?`), k.Blob, k.Schema, k.Fingerprint, k.Deps).
		Scan(&b.Path, &b.Size, &b.Status, &b.Reason, &data, &b.ParseMS, &b.DepState)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if data != nil {
		if b.Summary, err = DecodeSummary(data); err != nil {
			return nil, fmt.Errorf("blob %s: stored summary: %w", k.Blob, err)
		}
	}
	return b, nil
}

// BlobVersions returns every memoized summary of a blob under a schema
// and fingerprint — one per state of the tree its parses found — with
// their summaries still encoded: Decoded decodes the one its caller
// picks.
func (s *Store) BlobVersions(ctx context.Context, blob string, schema int, fingerprint string) ([]*Blob, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT deps_key, path, lang, engine, size, status, reason, n_errors, summary, parse_ms, deps
		FROM blobs WHERE blob = ? AND schema = ? AND fingerprint = ?`), blob, schema, fingerprint)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Blob
	for rows.Next() {
		b := &Blob{BlobKey: BlobKey{Blob: blob, Schema: schema, Fingerprint: fingerprint}}
		var lang, engine string
		if err := rows.Scan(&b.Deps, &b.Path, &lang, &engine, &b.Size, &b.Status, &b.Reason, &b.errors, &b.Encoded, &b.ParseMS, &b.DepState); err != nil {
			return nil, fmt.Errorf("blob %s: %w", blob, err)
		}
		b.lang, b.engine = cparse.Lang(lang), cparse.Engine(engine)
		b.released = b.Encoded != nil
		out = append(out, b)
	}
	return out, rows.Err()
}

// Engine is the engine that made the blob's summary ("" when there is
// none), without decoding a released summary.
func (b *Blob) Engine() cparse.Engine {
	if b.released {
		return b.engine
	}
	if b.Summary != nil {
		return b.Summary.Engine
	}
	return ""
}

// A stored summary is zstd-compressed CBOR of cparse.Summary (its JSON
// field names as keys). Summaries stored before it are gzip-compressed
// JSON and still read: the first bytes tell the two apart (zstd's frame
// magic, gzip's). On FreeRTOS-Kernel's history, where 90,000 summaries are
// encoded and many read back after the memo lets them go, gzip and
// encoding/json took 39 of 295 CPU seconds; zstd decodes 3.5 times faster
// than gzip at its fastest level and stores less, and CBOR decodes 3 times
// faster than JSON (lengths up front, no escapes to scan).
var (
	summaryEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithLowerEncoderMem(true))
	// The decoder refuses a frame that would inflate past 256 MiB, far
	// above the summary of the largest file cparse reads (8 MiB): a
	// corrupt row is an error, not an allocation.
	summaryDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(256<<20))
	summaryCBOR, _    = cbor.EncOptions{}.EncMode()
	// A vendor register header's summary holds tens of thousands of
	// macros: no bound on a list's length but the data's.
	summaryCBORDecoding, _ = cbor.DecOptions{MaxArrayElements: math.MaxInt32, MaxMapPairs: math.MaxInt32}.DecMode()
	zstdMagic              = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// EncodeSummary is the stored form of a summary. Parse workers call it so
// the encoding cost is paid in parallel, not in the single writer.
func EncodeSummary(s *cparse.Summary) ([]byte, error) {
	raw, err := summaryCBOR.Marshal(s)
	if err != nil {
		return nil, err
	}
	return summaryEncoder.EncodeAll(raw, make([]byte, 0, len(raw)/3+64)), nil
}

// summaryBuffers hold a stored summary's decompressed bytes while it is
// decoded (every decoded string is a copy, so the buffer is reused).
var summaryBuffers = sync.Pool{New: func() any { return new([]byte) }}

// DecodeSummary decodes a summary EncodeSummary encoded, or one stored as
// gzip-compressed JSON before.
func DecodeSummary(data []byte) (*cparse.Summary, error) {
	var s cparse.Summary
	if bytes.HasPrefix(data, zstdMagic) {
		buf := summaryBuffers.Get().(*[]byte)
		defer summaryBuffers.Put(buf)
		raw, err := summaryDecoder.DecodeAll(data, (*buf)[:0])
		if err != nil {
			return nil, err
		}
		*buf = raw
		if err := summaryCBORDecoding.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
	} else if err := decodeGzipJSON(data, &s); err != nil {
		return nil, err
	}
	// A decoder grows a slice by doubling, so a decoded summary held
	// up to twice the memory of its entities: at FreeRTOS's commit that
	// deletes 13,731 files, 150 of the 560 MB alive. Exact copies of the
	// long lists give it back.
	s.Functions, s.Types, s.Typedefs = exact(s.Functions), exact(s.Types), exact(s.Typedefs)
	s.Globals, s.Macros, s.Asm = exact(s.Globals), exact(s.Macros), exact(s.Asm)
	return &s, nil
}

// summaryReaders are reused for summaries stored as gzip-compressed JSON:
// each new gzip reader allocated a 32 KB window, and each io.ReadAll grew
// a fresh buffer by doubling.
var summaryReaders = sync.Pool{New: func() any { return new(summaryReader) }}

type summaryReader struct {
	zr  gzip.Reader
	raw bytes.Buffer
}

// decodeGzipJSON decodes a summary stored before summaries were CBOR.
func decodeGzipJSON(data []byte, s *cparse.Summary) error {
	r := summaryReaders.Get().(*summaryReader)
	defer summaryReaders.Put(r)
	r.raw.Reset()
	if err := r.zr.Reset(bytes.NewReader(data)); err != nil {
		return err
	}
	if _, err := r.raw.ReadFrom(&r.zr); err != nil {
		return err
	}
	// Unmarshal copies every string it keeps, so the buffer can be reused.
	return json.Unmarshal(r.raw.Bytes(), s)
}

// exact is list with no spare capacity, copied only when that saves
// memory worth a copy. Short lists count too: a vendor tree's thousands
// of files, each with tens of macros, left 66 MB spare at FreeRTOS's peak
// when only lists 64 entries short were copied.
func exact[T any](list []T) []T {
	var entry T
	if (cap(list)-len(list))*int(unsafe.Sizeof(entry)) < 256 {
		return list
	}
	return append(make([]T, 0, len(list)), list...)
}

// Change is one classified change of a commit, in the stable JSON form of
// `upsynth report commit --format json`: the classification pass's own
// record, so a commit of a million changes is not copied into a second
// form before it is written.
type Change = classify.Change

// Commit is one analyzed commit, in the stable JSON form.
type Commit struct {
	Sha           string    `json:"sha"`
	Parent        string    `json:"parent"`
	Parents       []string  `json:"parents"`
	Merge         bool      `json:"merge"`
	Author        string    `json:"author"`
	AuthorTime    time.Time `json:"author_time"`
	Subject       string    `json:"subject"`
	Message       string    `json:"-"`
	Class         string    `json:"class"`
	Purpose       string    `json:"purpose"`
	PurposeReason string    `json:"purpose_reason"`
	Hazards       []string  `json:"hazards"`
	Reason        string    `json:"reason"`
	Changes       []Change  `json:"changes"`
	// Ord, when set, is the commit's place in analysis order (PostgreSQL:
	// a distributed run assigns it when planning; 0 takes the next).
	Ord int64 `json:"-"`
}

// Problem is something the analysis could not do, recorded for a person.
type Problem struct {
	Sha, Path, Blob string
	Kind, Message   string
	// Limit is set for kind "limit": what a parse engine gave up on.
	Limit *cparse.LimitError
}

// Batch is what one transaction writes.
type Batch struct {
	Repo, Run int64
	Commits   []*Commit
	Blobs     []*Blob
	Problems  []Problem
}

// Len is the number of records in the batch.
func (b *Batch) Len() int { return len(b.Commits) + len(b.Blobs) + len(b.Problems) }

// Write stores a batch in one transaction: all of it or none.
func (s *Store) Write(ctx context.Context, b *Batch) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ex := &sqlExec{tx: tx, stmts: map[string]*sql.Stmt{}}
	if err := s.writeBatch(ctx, ex, b); err != nil {
		return err
	}
	return tx.Commit()
}

var (
	blobCols    = []string{"blob", "schema", "fingerprint", "deps_key", "path", "lang", "engine", "size", "status", "reason", "n_errors", "summary", "parse_ms", "deps"}
	blobKey     = []string{"blob", "schema", "fingerprint", "deps_key"}
	commitCols  = []string{"repo_id", "sha", "parent", "parents", "is_merge", "author", "author_time", "subject", "message", "class", "purpose", "purpose_reason", "hazards", "reason", "run_id"}
	commitKeyC  = []string{"repo_id", "sha"}
	changeCols  = []string{"repo_id", "sha", "seq", "file", "entity", "name", "change", "class", "hazards", "engine", "reason", "detail"}
	changeKey   = []string{"repo_id", "sha", "seq"}
	problemCols = []string{"repo_id", "run_id", "sha", "path", "blob", "kind", "message", "engine", "limit_name", "limit_value", "figure", "unit"}
)

// execer runs one statement of a batch in the transaction writing it.
type execer interface {
	exec(ctx context.Context, query string, args ...any) error
}

// changesPerStatement is how many change rows one INSERT writes: a commit
// that deletes a vendor tree has a million, and a statement per row spent
// most of its time binding and stepping statements.
const changesPerStatement = 64

// writeChanges writes c's changes, changesPerStatement rows to an INSERT.
// On SQLite each row carries its checksum, computed here, so the insert
// trigger has nothing to rewrite (migration 4); PostgreSQL's trigger sets
// it before the row is stored.
func (s *Store) writeChanges(ctx context.Context, ex execer, repo int64, c *Commit) error {
	cols := changeCols
	if !s.pg {
		cols = append(slices.Clip(cols), "cksum")
	}
	args := make([]any, 0, changesPerStatement*len(cols))
	row := make([]driver.Value, len(changeCols))
	for start := 0; start < len(c.Changes); start += changesPerStatement {
		chunk := c.Changes[start:min(start+changesPerStatement, len(c.Changes))]
		args = args[:0]
		for i, ch := range chunk {
			row = append(row[:0], repo, c.Sha, int64(start+i), ch.File, ch.Entity, ch.Name, ch.Change, string(ch.Class),
				classify.JoinHazards(ch.Hazards, ","), ch.Engine, ch.Reason, ch.Detail)
			for _, v := range row {
				args = append(args, v)
			}
			if !s.pg {
				sum, err := rowSum(row)
				if err != nil {
					return err
				}
				args = append(args, sum)
			}
		}
		if err := ex.exec(ctx, s.upsertRows("changes", cols, changeKey, len(chunk)), args...); err != nil {
			return fmt.Errorf("commit %s changes %d to %d: %w", c.Sha, start, start+len(chunk)-1, err)
		}
	}
	return nil
}

// writeBatch writes b's rows through ex. Commits and changes replace the
// rows with their keys (a commit written again is rewritten); on
// PostgreSQL a commit keeps the place in analysis order it was first given
// (Commit.Ord, or the next of the sequence commit_ord).
func (s *Store) writeBatch(ctx context.Context, ex execer, b *Batch) error {
	blobSQL := s.upsert("blobs", blobCols, blobKey, nil, nil)
	for _, bl := range b.Blobs {
		var data []byte
		lang, engine, nerr := "", "", 0
		if bl.released {
			data, lang, engine, nerr = bl.Encoded, string(bl.lang), string(bl.engine), bl.errors
		} else if bl.Summary != nil {
			if data = bl.Encoded; data == nil {
				var err error
				if data, err = EncodeSummary(bl.Summary); err != nil {
					return err
				}
			}
			lang, engine, nerr = string(bl.Summary.Lang), string(bl.Summary.Engine), len(bl.Summary.Errors)
		}
		if err := ex.exec(ctx, blobSQL, bl.Blob, bl.Schema, bl.Fingerprint, bl.Deps, bl.Path, lang, engine, bl.Size, bl.Status, bl.Reason, nerr, data, bl.ParseMS, bl.DepState); err != nil {
			return fmt.Errorf("blob %s: %w", bl.Blob, err)
		}
	}
	cols := commitCols
	if s.pg {
		cols = append(slices.Clip(cols), "ord")
	}
	commitSQL := s.upsert("commits", cols, commitKeyC, []string{"ord"}, map[string]string{"ord": "coalesce(?, nextval('commit_ord'))"})
	for _, c := range b.Commits {
		var class, purpose, preason any
		if !c.Merge {
			class, purpose, preason = c.Class, c.Purpose, c.PurposeReason
		}
		merge := 0
		if c.Merge {
			merge = 1
		}
		args := []any{b.Repo, c.Sha, c.Parent, strings.Join(c.Parents, " "), merge, c.Author,
			c.AuthorTime.UTC().Format(time.RFC3339), c.Subject, c.Message, class, purpose, preason, strings.Join(c.Hazards, ","), c.Reason, b.Run}
		if s.pg {
			var ord any
			if c.Ord > 0 {
				ord = c.Ord
			}
			args = append(args, ord)
		}
		if err := ex.exec(ctx, commitSQL, args...); err != nil {
			return fmt.Errorf("commit %s: %w", c.Sha, err)
		}
		if err := s.writeChanges(ctx, ex, b.Repo, c); err != nil {
			return err
		}
	}
	// A problem already recorded is not recorded again: a distributed job
	// done twice (rescued while it was only slow) writes its problems
	// twice. On PostgreSQL, jobs committing at once take turns here, so
	// the second sees the first's rows.
	problemSQL := s.q(`INSERT INTO problems(` + strings.Join(problemCols, ", ") + `) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM problems WHERE repo_id = ? AND sha = ? AND path = ? AND blob = ? AND kind = ? AND message = ?)`)
	if s.pg && len(b.Problems) > 0 {
		if err := ex.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('upsynth problems'))`); err != nil {
			return err
		}
	}
	for _, p := range b.Problems {
		var lim cparse.LimitError
		if p.Limit != nil {
			lim = *p.Limit
		}
		if err := ex.exec(ctx, problemSQL, b.Repo, b.Run, p.Sha, p.Path, p.Blob, p.Kind, p.Message, string(lim.Engine), lim.Limit, lim.Max, lim.Figure, lim.Unit,
			b.Repo, p.Sha, p.Path, p.Blob, p.Kind, p.Message); err != nil {
			return err
		}
	}
	return nil
}
