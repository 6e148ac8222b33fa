package store

import (
	"context"
	"fmt"
)

// CheckReport is what Check found wrong; empty when the database is sound.
type CheckReport struct {
	// Integrity are the complaints of SQLite's integrity_check: damaged
	// pages, b-trees or indexes (at most maxCheckErrors).
	Integrity []string
	// ForeignKeys are rows that reference rows that do not exist.
	ForeignKeys []string
	// Summaries are stored summaries that do not decode (their zstd or
	// gzip checksum catches a flipped byte in them).
	Summaries []string
	// Rows are rows whose contents do not match their checksum (a
	// flipped byte inside a cell, which integrity_check does not see).
	Rows []string
}

// OK reports whether nothing is wrong.
func (r *CheckReport) OK() bool {
	return len(r.Integrity) == 0 && len(r.ForeignKeys) == 0 && len(r.Summaries) == 0 && len(r.Rows) == 0
}

// maxCheckErrors bounds each list of a CheckReport.
const maxCheckErrors = 100

// Check verifies the whole database: SQLite's integrity_check (every page,
// b-tree and index), foreign keys, every row's checksum and every stored
// summary (decoded, so its zstd or gzip checksum is verified). It only reads. On
// PostgreSQL the server keeps its pages (data checksums are initdb's
// --data-checksums) and enforces foreign keys on every write, so Check
// verifies the row checksums and the summaries.
func (s *Store) Check(ctx context.Context) (*CheckReport, error) {
	rep := &CheckReport{}
	var err error
	if s.pg {
		return rep, s.checkContents(ctx, rep)
	}
	if rep.Integrity, err = s.pragmaCheck(ctx, fmt.Sprintf("integrity_check(%d)", maxCheckErrors)); err != nil {
		rep.Integrity = append(rep.Integrity, err.Error())
		return rep, nil // nothing else can be read reliably
	}
	rows, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			rows.Close()
			return nil, err
		}
		if len(rep.ForeignKeys) < maxCheckErrors {
			rep.ForeignKeys = append(rep.ForeignKeys, fmt.Sprintf("%s row %v references a missing %s row", table, rowid, parent))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return rep, s.checkContents(ctx, rep)
}

// checkContents checks every row's checksum and every stored summary.
func (s *Store) checkContents(ctx context.Context, rep *CheckReport) error {
	var err error
	if rep.Rows, err = s.checkRowSums(ctx, maxCheckErrors); err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT blob, path, summary FROM blobs WHERE summary IS NOT NULL")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var blob, path string
		var data []byte
		if err := rows.Scan(&blob, &path, &data); err != nil {
			return err
		}
		if _, err := DecodeSummary(data); err != nil && len(rep.Summaries) < maxCheckErrors {
			rep.Summaries = append(rep.Summaries, fmt.Sprintf("blob %s (%s): %v", blob, path, err))
		}
	}
	return rows.Err()
}
