package store

import (
	"net/url"
	"strconv"
	"strings"
)

// The store speaks two SQL dialects: SQLite (the embedded default, a file)
// and PostgreSQL (a server many machines share, for distributed runs).
// Queries are written once, in SQLite's spelling with ? placeholders;
// q turns them into PostgreSQL's where that differs. Statements whose
// shape differs more (upserts, the schema, checks) are built per dialect.

// IsPostgres reports whether a --db value names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Display is how a --db value is shown in messages: a PostgreSQL URL with
// its password replaced by xxxxx, a file path as it is.
func Display(db string) string {
	if !IsPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return u.Redacted()
}

// q is query in the store's dialect: for PostgreSQL, ? placeholders
// (outside quoted strings) become $1, $2, … and rowid becomes ord, the
// column that keeps analysis order there.
func (s *Store) q(query string) string {
	if !s.pg {
		return query
	}
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return strings.ReplaceAll(b.String(), "ORDER BY rowid", "ORDER BY ord")
}

// upsert is the statement inserting a row into table, replacing the row
// with the same key: SQLite's INSERT OR REPLACE, PostgreSQL's ON CONFLICT
// … DO UPDATE. keep are columns an existing row keeps (PostgreSQL only);
// expr gives a column a value expression other than ? (PostgreSQL only).
func (s *Store) upsert(table string, cols, key []string, keep []string, expr map[string]string) string {
	return s.upsertN(table, cols, key, keep, expr, 1)
}

// upsertRows is upsert of n rows in one statement.
func (s *Store) upsertRows(table string, cols, key []string, n int) string {
	return s.upsertN(table, cols, key, nil, nil, n)
}

func (s *Store) upsertN(table string, cols, key []string, keep []string, expr map[string]string, n int) string {
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = "?"
		if e, ok := expr[c]; ok && s.pg {
			vals[i] = e
		}
	}
	row := "(" + strings.Join(vals, ", ") + ")"
	marks := row + strings.Repeat(", "+row, n-1)
	if !s.pg {
		return s.q("INSERT OR REPLACE INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES " + marks)
	}
	var set []string
	for _, c := range cols {
		if !contains(key, c) && !contains(keep, c) {
			set = append(set, c+" = EXCLUDED."+c)
		}
	}
	return s.q("INSERT INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES " + marks + " ON CONFLICT (" +
		strings.Join(key, ", ") + ") DO UPDATE SET " + strings.Join(set, ", "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Rebind is query, written with ? placeholders, in the store's dialect.
func (s *Store) Rebind(query string) string { return s.q(query) }
