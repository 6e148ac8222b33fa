package distribute

import (
	"github.com/riverqueue/river"

	"github.com/upsynth/upsynth/analyze"
)

// Queue is the river queue of upsynth's jobs.
const Queue = "upsynth"

// SummarizeArgs is a job summarizing a batch of distinct blobs.
type SummarizeArgs struct {
	analyze.Settings
	Blobs []analyze.BlobTask `json:"blobs"`
}

// Kind is the job's kind in river_job.
func (SummarizeArgs) Kind() string { return "upsynth_summarize" }

// InsertOpts puts summarize jobs before classify jobs (a lower number is
// a higher priority).
func (SummarizeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, Priority: 1}
}

// ClassifyArgs is a job classifying a segment of consecutive commits.
type ClassifyArgs struct {
	analyze.Settings
	Commits []string `json:"commits"`
	Ords    []int64  `json:"ords"`
}

// Kind is the job's kind in river_job.
func (ClassifyArgs) Kind() string { return "upsynth_classify" }

// InsertOpts runs classify jobs after summarize jobs.
func (ClassifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, Priority: 2}
}
