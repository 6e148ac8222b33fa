package replay

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Journal is a replay's progress file: the rows of the commits done so far,
// rewritten (atomically: a new file renamed over the old) after each one,
// so a replay interrupted at any point — Ctrl-C or kill -9 — finds every
// commit it finished. The running machine's state cannot be kept, so a
// resumed replay boots where the interrupted one last booted and applies
// again, live, the commits it had applied since (deterministic: the same
// seed, the same updates at the same steps), which re-establishes the
// machine it had; Run checks that each of those commits comes out as
// recorded.
type Journal struct {
	path string
	data journalData
}

type journalData struct {
	Version int `json:"version"`
	// Key identifies the replay (range, mode, target, hooks): a progress
	// file of another replay is not resumed.
	Key  string `json:"key"`
	Rows []Row  `json:"rows"`
}

const journalVersion = 1

// OpenJournal opens the progress file at path for the replay identified by
// key, creating it when absent. A file of another replay (another key) is
// an error naming it.
func OpenJournal(path, key string) (*Journal, error) {
	j := &Journal{path: path, data: journalData{Version: journalVersion, Key: key}}
	b, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		return j, nil
	case err != nil:
		return nil, err
	}
	var d journalData
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: %w (remove it to start over)", path, err)
	}
	if d.Version != journalVersion || d.Key != key {
		return nil, fmt.Errorf("%s holds the progress of another replay (%s): remove it, or rerun that replay", path, d.Key)
	}
	j.data = d
	return j, nil
}

// Path is the progress file.
func (j *Journal) Path() string { return j.path }

// Rows are the rows recorded so far.
func (j *Journal) Rows() []Row { return append([]Row(nil), j.data.Rows...) }

// Append records a row.
func (j *Journal) Append(r Row) error {
	j.data.Rows = append(j.data.Rows, r)
	b, err := json.MarshalIndent(j.data, "", " ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(j.path), filepath.Base(j.path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), j.path)
}

// Remove deletes the progress file (a replay that reached B).
func (j *Journal) Remove() error {
	if err := os.Remove(j.path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}
