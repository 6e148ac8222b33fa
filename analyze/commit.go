package analyze

import (
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/index"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// classify turns one job into a commit record and moves the index to the
// commit's tree.
func (r *run) classify(j *job, idx *index.Index, remember func(*summary)) (*store.Commit, error) {
	c := j.commit
	rec := &store.Commit{Sha: c.Hash.String(), Parents: []string{}, Author: c.Author.Name + " <" + c.Author.Email + ">",
		AuthorTime: c.Author.When, Subject: classify.Subject(c.Message), Message: c.Message, Hazards: []string{}, Changes: []store.Change{}}
	for _, p := range c.ParentHashes {
		rec.Parents = append(rec.Parents, p.String())
	}
	if len(rec.Parents) > 0 {
		rec.Parent = rec.Parents[0]
	}
	if len(c.ParentHashes) > 1 {
		rec.Merge, rec.Reason = true, "merge commit: recorded, not classified"
		return rec, nil
	}
	if j.failure != "" {
		r.observeFeatures(rec.Sha, c.Message, nil)
		purpose, why := classify.PurposeOf(r.cfg, rec.Sha, c.Message, nil)
		rec.Purpose, rec.PurposeReason = string(purpose), why
		rec.Class, rec.Reason = string(classify.Unsupported), j.failure
		return rec, nil
	}
	files := make([]classify.File, 0, len(j.files))
	changed := map[string]*index.FileFacts{}
	for _, f := range j.files {
		cf := classify.File{Path: displayPath(f.path)}
		if f.renamedFrom != "" {
			cf.RenamedFrom = displayPath(f.renamedFrom)
		}
		for _, side := range []struct {
			s    *summary
			h    plumbing.Hash
			into **classify.Version
		}{{f.old, f.oldHash, &cf.Old}, {f.new, f.newHash, &cf.New}} {
			switch {
			case side.s != nil:
				if err := r.memo.wait(side.s); err != nil {
					return nil, err
				}
				remember(side.s)
				*side.into = side.s.version()
			case !side.h.IsZero():
				*side.into = &classify.Version{Blob: side.h.String()}
			}
		}
		summarized := kernel.IsSource(f.path) || kernel.KindOf(f.path) == kernel.KindAsm
		if cf.Old != nil && cf.New != nil && cf.Old.Summary == nil && cf.New.Summary == nil && summarized &&
			cf.Old.Unreadable == "" && cf.New.Unreadable == "" {
			// A symlink or submodule change of a .c path: nothing compiled.
			continue
		}
		switch {
		case !summarized || unreadable(cf.Old) != "" || unreadable(cf.New) != "":
		case cf.Old == nil || cf.New == nil:
			// Added or removed whole: the classifier derives its changes
			// when it gets to it (a vendor tree's deletion would hold a
			// million removals here).
			cf.DeriveChanges = true
		default:
			changes, err := classify.Diff(summaryOf(cf.Old), summaryOf(cf.New))
			if err != nil {
				cf.New.Unreadable = err.Error()
			}
			cf.Changes = changes
		}
		if f.new != nil && kernel.IsSource(f.path) {
			changed[f.path] = f.new.factsFor(f.path)
		}
		files = append(files, cf)
	}
	files = classify.MatchMoves(files) // once, for the purpose and the classes
	r.observeFeatures(rec.Sha, c.Message, files)
	purpose, why := classify.PurposeOf(r.cfg, rec.Sha, c.Message, files)
	rec.Purpose, rec.PurposeReason = string(purpose), why
	if jobWeight(j) >= releaseWeight {
		// A commit that adds or deletes a vendor tree: its summaries,
		// released here, are then held only by files, which
		// classify.Commit drops file by file as it classifies them. Held
		// until the end, with the commit's change records, they were what
		// took the analysis past 1 GiB.
		for _, f := range j.files {
			for _, s := range []*summary{f.old, f.new} {
				if s != nil {
					s.release()
				}
			}
		}
	}
	// files is not used after this: classify.Commit may free it as it goes.
	res := classify.Commit(r.cfg, files, index.Overlay{Base: idx, Changed: changed})
	for _, f := range j.files {
		if kernel.IsSource(f.path) {
			if f.new == nil {
				idx.Set(f.path, nil)
			} else {
				idx.Set(f.path, f.new.factsFor(f.path))
			}
		}
	}
	rec.Class, rec.Reason = string(res.Class), res.Reason
	for _, h := range res.Hazards {
		rec.Hazards = append(rec.Hazards, string(h))
	}
	rec.Changes = res.Changes
	return rec, nil
}

// observeFeatures hands a commit's purpose model features to the test hook
// that trains the model (Options.observeFeatures), when one is set.
func (r *run) observeFeatures(sha, msg string, files []classify.File) {
	if r.opts.observeFeatures != nil {
		r.opts.observeFeatures(sha, classify.PurposeFeatures(r.cfg, msg, files))
	}
}

// jobWeight estimates the memory the summaries of a job's files take.
func jobWeight(j *job) int64 {
	var w int64
	for _, f := range j.files {
		for _, s := range []*summary{f.old, f.new} {
			if s != nil && s.blob != nil {
				w += s.weight()
			}
		}
	}
	return w
}

func unreadable(v *classify.Version) string {
	if v == nil {
		return ""
	}
	return v.Unreadable
}

func summaryOf(v *classify.Version) *cparse.Summary {
	if v == nil {
		return nil
	}
	return v.Summary
}
