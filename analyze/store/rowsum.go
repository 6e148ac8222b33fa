package store

import (
	"context"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"hash/crc64"
	"math"
	"slices"
	"strings"
	"unsafe"

	"modernc.org/sqlite"
)

// Row checksums: SQLite checks the structure of its pages (quick_check,
// integrity_check) but keeps no checksum of what a cell holds, so a flipped
// byte inside a commit's subject or a change's reason would be read back as
// garbled text without complaint. Every row of every table carries a
// cksum column: a CRC-64 over the row's other columns as SQLite stores
// them, kept by triggers after each insert or update (so every writer,
// present or future, keeps it without knowing), and recomputed by Check.
// blobs.summary is left out: its zstd checksum (a gzip CRC in rows of
// earlier versions) already covers it (Check decodes every summary).

// rowSumFunc is the SQL function computing a row checksum; it is
// registered with the driver for every connection this process opens. A
// program without it (the sqlite3 shell) can read the database but not
// write the checksummed tables.
const rowSumFunc = "upsynth_row_sum"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(rowSumFunc, -1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		return rowSum(args)
	})
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// rowSum hashes values with their SQLite storage class, so 1 and '1'
// differ, and with each value's length, so moving a byte from one column
// to the next changes the sum. It runs for every row written (three
// million on FreeRTOS-Kernel's history), so it hashes a string's bytes in
// place rather than through a copy.
func rowSum(args []driver.Value) (int64, error) {
	var buf [9]byte
	var crc uint64
	for _, a := range args {
		switch v := a.(type) {
		case nil:
			crc = crc64.Update(crc, crcTable, []byte{0})
		case int64:
			buf[0] = 1
			binary.LittleEndian.PutUint64(buf[1:], uint64(v))
			crc = crc64.Update(crc, crcTable, buf[:])
		case float64:
			buf[0] = 2
			binary.LittleEndian.PutUint64(buf[1:], math.Float64bits(v))
			crc = crc64.Update(crc, crcTable, buf[:])
		case string:
			buf[0] = 3
			binary.LittleEndian.PutUint64(buf[1:], uint64(len(v)))
			crc = crc64.Update(crc, crcTable, buf[:])
			crc = crc64.Update(crc, crcTable, unsafe.Slice(unsafe.StringData(v), len(v)))
		case []byte:
			buf[0] = 4
			binary.LittleEndian.PutUint64(buf[1:], uint64(len(v)))
			crc = crc64.Update(crc, crcTable, buf[:])
			crc = crc64.Update(crc, crcTable, v)
		default:
			return 0, fmt.Errorf("%s: unexpected value of type %T", rowSumFunc, a)
		}
	}
	return int64(crc), nil
}

// sumTable is a table whose rows carry a checksum: its key (what names a
// row in a report, and finds it for the trigger's update) and the columns
// the sum covers, in order.
type sumTable struct {
	name string
	key  []string
	cols []string
}

// sumTables3 are the checksummed tables as of schema version 3. A later
// migration that adds a column makes a new list and recreates the triggers
// with rowSumSQL.
var sumTables3 = []sumTable{
	{"repos", []string{"id"}, []string{"id", "path", "added_at"}},
	{"runs", []string{"id"}, []string{"id", "repo_id", "started_at", "finished_at", "status", "args",
		"commits_analyzed", "merges", "blobs_parsed", "blobs_reused", "problems", "error"}},
	{"commits", []string{"repo_id", "sha"}, []string{"repo_id", "sha", "parent", "parents", "is_merge", "author",
		"author_time", "subject", "message", "class", "purpose", "purpose_reason", "hazards", "reason", "run_id"}},
	{"changes", []string{"repo_id", "sha", "seq"}, []string{"repo_id", "sha", "seq", "file", "entity", "name",
		"change", "class", "hazards", "engine", "reason", "detail"}},
	{"blobs", []string{"blob", "schema", "fingerprint"}, []string{"blob", "schema", "fingerprint", "path", "lang",
		"engine", "size", "status", "reason", "n_errors", "parse_ms"}},
	{"problems", []string{"id"}, []string{"id", "repo_id", "run_id", "sha", "path", "blob", "kind", "message",
		"engine", "limit_name", "limit_value", "figure", "unit"}},
}

// sumTables5 are the checksummed tables as of schema version 5: blobs
// gained deps_key and deps.
var sumTables5 = func() []sumTable {
	t := slices.Clone(sumTables3)
	t[4] = sumTable{"blobs", []string{"blob", "schema", "fingerprint", "deps_key"}, []string{"blob", "schema", "fingerprint", "deps_key", "path", "lang",
		"engine", "size", "status", "reason", "n_errors", "parse_ms", "deps"}}
	return t
}()

// sumTables are the checksummed tables of the current schema.
var sumTables = sumTables5

// sumExpr is the SQL computing the checksum of a row of t, its columns
// qualified by prefix ("NEW." in a trigger).
func (t sumTable) sumExpr(prefix string) string {
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = prefix + c
	}
	return rowSumFunc + "(" + strings.Join(cols, ", ") + ")"
}

// rowSumSQL adds the cksum column to each table (unless it has one),
// (re)creates the triggers that keep it, and computes it for every row
// already there.
func rowSumSQL(tables []sumTable, addColumn bool) string {
	var b strings.Builder
	for _, t := range tables {
		if addColumn {
			fmt.Fprintf(&b, "ALTER TABLE %s ADD COLUMN cksum INTEGER;\n", t.name)
		}
		var where []string
		for _, k := range t.key {
			where = append(where, k+" = NEW."+k)
		}
		set := fmt.Sprintf("UPDATE %s SET cksum = %s WHERE %s;", t.name, t.sumExpr("NEW."), strings.Join(where, " AND "))
		fmt.Fprintf(&b, "DROP TRIGGER IF EXISTS %[1]s_sum_insert;\nCREATE TRIGGER %[1]s_sum_insert AFTER INSERT ON %[1]s BEGIN %[2]s END;\n", t.name, set)
		// Only updates of the data columns fire it: its own update of
		// cksum does not.
		fmt.Fprintf(&b, "DROP TRIGGER IF EXISTS %[1]s_sum_update;\nCREATE TRIGGER %[1]s_sum_update AFTER UPDATE OF %[2]s ON %[1]s BEGIN %[3]s END;\n",
			t.name, strings.Join(t.cols, ", "), set)
		fmt.Fprintf(&b, "UPDATE %s SET cksum = %s;\n", t.name, t.sumExpr(""))
	}
	return b.String()
}

// insertTriggerSQL (migration 4) lets a writer that computed a row's
// checksum itself (rowSum, as writeBatch does for the million change rows
// a vendor tree's deletion makes) skip the trigger's UPDATE, which
// rewrote every inserted row: the trigger fires only when the stored sum
// is missing or wrong, so a writer that does not know keeps the sum as
// before.
func insertTriggerSQL(tables []sumTable) string {
	return insertTriggers(tables, func(t sumTable) string { return "NEW.cksum IS NOT " + t.sumExpr("NEW.") })
}

// missingSumTriggerSQL (migration 6) makes the insert triggers fire only
// when a row comes without a checksum. Testing that a given sum is right
// called the SQL function for every row inserted, 13% of the writer's CPU
// on FreeRTOS-Kernel's history (BenchmarkReplayWrites); a writer that
// gives a wrong sum is what `upsynth db check` finds, like a flipped byte.
func missingSumTriggerSQL(tables []sumTable) string {
	return insertTriggers(tables, func(sumTable) string { return "NEW.cksum IS NULL" })
}

// insertTriggers (re)creates each table's insert trigger, which sets the
// checksum of a row inserted when the condition holds.
func insertTriggers(tables []sumTable, when func(sumTable) string) string {
	var b strings.Builder
	for _, t := range tables {
		var where []string
		for _, k := range t.key {
			where = append(where, k+" = NEW."+k)
		}
		fmt.Fprintf(&b, "DROP TRIGGER IF EXISTS %[1]s_sum_insert;\nCREATE TRIGGER %[1]s_sum_insert AFTER INSERT ON %[1]s WHEN %[4]s BEGIN UPDATE %[1]s SET cksum = %[2]s WHERE %[3]s; END;\n",
			t.name, t.sumExpr("NEW."), strings.Join(where, " AND "), when(t))
	}
	return b.String()
}

// checkRowSums recomputes every row's checksum and names the rows whose
// stored one differs (at most max).
func (s *Store) checkRowSums(ctx context.Context, max int) ([]string, error) {
	var out []string
	for _, t := range sumTables {
		q := fmt.Sprintf("SELECT %s FROM %s WHERE cksum IS NOT %s", strings.Join(t.key, ", "), t.name, t.sumExpr(""))
		if s.pg {
			q = fmt.Sprintf("SELECT %s FROM %s AS t WHERE cksum IS DISTINCT FROM %s", strings.Join(t.key, ", "), t.name, pgSumExpr("t"))
		}
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		for rows.Next() && len(out) < max {
			key := make([]any, len(t.key))
			ptrs := make([]any, len(t.key))
			for i := range key {
				ptrs[i] = &key[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			var parts []string
			for i, k := range t.key {
				parts = append(parts, fmt.Sprintf("%s %s", k, quoteKey(key[i])))
			}
			out = append(out, fmt.Sprintf("%s row (%s): its contents do not match its checksum", t.name, strings.Join(parts, ", ")))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// quoteKey prints a key value: text quoted (a damaged key may hold any
// byte), numbers as they are.
func quoteKey(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case []byte:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}
