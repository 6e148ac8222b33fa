package store

// migrations are applied in order; PRAGMA user_version records how many
// have run. Never edit an applied migration: append a new one and describe
// it in docs/database.md.
var migrations = []string{
	// 1: the initial schema.
	`
CREATE TABLE repos (
	id       INTEGER PRIMARY KEY,
	path     TEXT NOT NULL UNIQUE,  -- absolute path of the analyzed repository
	added_at TEXT NOT NULL          -- RFC 3339
);

CREATE TABLE runs (
	id               INTEGER PRIMARY KEY,
	repo_id          INTEGER NOT NULL REFERENCES repos(id),
	started_at       TEXT NOT NULL,
	finished_at      TEXT,
	status           TEXT NOT NULL,  -- running | done | failed | interrupted
	args             TEXT NOT NULL,  -- the range and options analyzed
	commits_analyzed INTEGER NOT NULL DEFAULT 0,
	merges           INTEGER NOT NULL DEFAULT 0,
	blobs_parsed     INTEGER NOT NULL DEFAULT 0,
	blobs_reused     INTEGER NOT NULL DEFAULT 0,
	problems         INTEGER NOT NULL DEFAULT 0,
	error            TEXT
);

CREATE TABLE commits (
	repo_id        INTEGER NOT NULL REFERENCES repos(id),
	sha            TEXT NOT NULL,
	parent         TEXT NOT NULL,     -- first parent, '' for a root commit
	parents        TEXT NOT NULL,     -- all parents, space-separated
	is_merge       INTEGER NOT NULL,  -- merges are recorded, not classified
	author         TEXT NOT NULL,
	author_time    TEXT NOT NULL,     -- RFC 3339
	subject        TEXT NOT NULL,
	message        TEXT NOT NULL,
	class          TEXT,              -- none|code|state|interface|unsupported; NULL for merges
	purpose        TEXT,              -- fix|perf|feature|cleanup|other; NULL for merges
	purpose_reason TEXT,
	hazards        TEXT NOT NULL DEFAULT '',  -- comma-separated, sorted
	reason         TEXT NOT NULL DEFAULT '',
	run_id         INTEGER REFERENCES runs(id),
	PRIMARY KEY (repo_id, sha)
);  -- rowid order is analysis order: parents before children
CREATE INDEX commits_class ON commits(repo_id, class, purpose);

CREATE TABLE changes (
	repo_id INTEGER NOT NULL,
	sha     TEXT NOT NULL,
	seq     INTEGER NOT NULL,   -- order within the commit
	file    TEXT NOT NULL,
	entity  TEXT NOT NULL,      -- function|type|global|macro|asm|file
	name    TEXT NOT NULL,
	change  TEXT NOT NULL,      -- body|signature|added|removed|layout|methods|enum|type|init|changed
	class   TEXT NOT NULL,
	hazards TEXT NOT NULL DEFAULT '',
	engine  TEXT NOT NULL DEFAULT '',  -- precise|tolerant|'' (not parsed)
	reason  TEXT NOT NULL,
	detail  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (repo_id, sha, seq),
	FOREIGN KEY (repo_id, sha) REFERENCES commits(repo_id, sha)
) WITHOUT ROWID;

CREATE TABLE blobs (
	blob        TEXT NOT NULL,     -- git blob hash
	schema      INTEGER NOT NULL,  -- cparse.SchemaVersion
	fingerprint TEXT NOT NULL,     -- cparse.Config.Fingerprint(): include paths, defines, engine
	path        TEXT NOT NULL,     -- the first path it was seen at
	lang        TEXT NOT NULL DEFAULT '',
	engine      TEXT NOT NULL DEFAULT '',
	size        INTEGER NOT NULL,
	status      TEXT NOT NULL,     -- ok | errors | unreadable
	reason      TEXT NOT NULL DEFAULT '',  -- why unreadable, or the first parse error
	n_errors    INTEGER NOT NULL DEFAULT 0,
	summary     BLOB,              -- gzip-compressed JSON of cparse.Summary; NULL when unreadable
	parse_ms    REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (blob, schema, fingerprint)
) WITHOUT ROWID;

CREATE TABLE problems (
	id      INTEGER PRIMARY KEY,
	repo_id INTEGER NOT NULL REFERENCES repos(id),
	run_id  INTEGER REFERENCES runs(id),
	sha     TEXT NOT NULL DEFAULT '',
	path    TEXT NOT NULL DEFAULT '',
	blob    TEXT NOT NULL DEFAULT '',
	kind    TEXT NOT NULL,     -- missing-object | unreadable | shallow | path | parse
	message TEXT NOT NULL
);
CREATE INDEX problems_sha ON problems(repo_id, sha);
`,
	// 2: what an engine gave up on (kind 'limit'): the engine, the limit,
	// its value and the figure the file reached.
	`
ALTER TABLE problems ADD COLUMN engine TEXT NOT NULL DEFAULT '';
ALTER TABLE problems ADD COLUMN limit_name TEXT NOT NULL DEFAULT '';
ALTER TABLE problems ADD COLUMN limit_value INTEGER NOT NULL DEFAULT 0;
ALTER TABLE problems ADD COLUMN figure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE problems ADD COLUMN unit TEXT NOT NULL DEFAULT '';
`,
	// 3: a checksum of every row (cksum), kept by triggers (rowsum.go), so
	// that a flipped byte inside a cell is found by `upsynth db check`.
	rowSumSQL(sumTables3, true),
	// 4: the insert triggers fire only when a row's checksum is missing or
	// wrong, so a writer that computes it (rowSum) skips their UPDATE.
	insertTriggerSQL(sumTables3),
	// 5: a blob's summaries are told apart by what their parses found in
	// their trees (deps_key, part of the key; deps, the record): a
	// precise summary depends on the headers it read. SQLite cannot
	// change a key in place, so the table is rebuilt; rows from before
	// say DepsUnknown ('?').
	`
CREATE TABLE blobs5 (
	blob        TEXT NOT NULL,
	schema      INTEGER NOT NULL,
	fingerprint TEXT NOT NULL,
	deps_key    TEXT NOT NULL DEFAULT '',  -- deps.State.Key: '' nothing looked up, '?' not recorded
	path        TEXT NOT NULL,
	lang        TEXT NOT NULL DEFAULT '',
	engine      TEXT NOT NULL DEFAULT '',
	size        INTEGER NOT NULL,
	status      TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	n_errors    INTEGER NOT NULL DEFAULT 0,
	summary     BLOB,
	parse_ms    REAL NOT NULL DEFAULT 0,
	deps        BLOB,              -- deps.State as text: what each path looked up held
	cksum       INTEGER,
	PRIMARY KEY (blob, schema, fingerprint, deps_key)
) WITHOUT ROWID;
INSERT INTO blobs5(blob, schema, fingerprint, deps_key, path, lang, engine, size, status, reason, n_errors, summary, parse_ms)
	SELECT blob, schema, fingerprint, '?', path, lang, engine, size, status, reason, n_errors, summary, parse_ms FROM blobs;
DROP TABLE blobs;
ALTER TABLE blobs5 RENAME TO blobs;
` + rowSumSQL(sumTables5[4:5], false) + insertTriggerSQL(sumTables5[4:5]),
	// 6: the insert triggers fire only when a row comes without its
	// checksum (rowsum.go, missingSumTriggerSQL).
	missingSumTriggerSQL(sumTables5),
}
