package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/upsynth/upsynth/analyze/store"
)

//go:embed page.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"color": ClassColor,
}).Parse(pageSource))

// link is a table cell that selects the commits behind it in the page's
// commit list.
type link struct {
	Text  string
	Href  string
	Class string // the class whose colour marks the cell, if any
	Empty bool
}

type pageRow struct {
	Dataset, Group, Purpose string
	Total                   link
	Cells                   []link
	Source                  link
	Original, Adapters      link
	Headline                bool
}

type pageHeadline struct {
	Label, Describe    string
	Source             int
	Original, Adapters string
	OriginalLink       string
	AdaptersLink       string
}

type pageDataset struct {
	Summary
	Index            int
	Reasons, Hazards []pageCount
	Files, Types     []pageBlocker
	FilesSVG         template.HTML
	TypesSVG         template.HTML
}

type pageCount struct {
	Name    string
	Commits int
	Href    string
}

type pageBlocker struct {
	Blocker
	Href string
}

type pageCommit struct {
	DS                            int
	Dataset                       string
	Sha, Short, Date              string
	Purpose, Class, Hazards       string
	Groups, Files, Types, Reasons string
	Subject, Reason               string
}

type pageData struct {
	Title          string
	CommitsOnly    bool // a page of commits alone, from report commits
	By             string
	Multi          bool
	ByGroup        bool
	Classes        []string
	Headlines      []pageHeadline
	Rows           []pageRow
	SharesSVG      template.HTML
	SharesTitle    string
	TimelineSVG    template.HTML
	TimelineLegend []legendItem
	Period         string
	Datasets       []pageDataset
	Commits        []pageCommit
	// The paper's K42 figures, shown beside the headline shares.
	PaperOriginal, PaperWithAdapters int
}

// filterHref is the in-page link that filters the commit list.
func filterHref(ds int, kv ...string) string {
	q := url.Values{}
	q.Set("ds", fmt.Sprint(ds))
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	return "#commits?" + q.Encode()
}

// WriteHTML renders the report as one self-contained page: tables, charts
// as inline SVG, and the datasets' commits, which every cell links to.
func WriteHTML(w io.Writer, rep *Report, datasets []Dataset) error {
	d := pageData{
		Title:   "Dynamic-update coverage",
		By:      rep.By,
		Multi:   len(rep.Datasets) > 1,
		ByGroup: rep.By != ByPurpose,
		Classes: Classes,

		PaperOriginal: PaperOriginal, PaperWithAdapters: PaperWithAdapters,
	}
	index := map[string]int{}
	for i, s := range rep.Datasets {
		index[s.Label] = i
		h := rep.Headline(s.Label)
		d.Headlines = append(d.Headlines, pageHeadline{Label: s.Label, Describe: describe(s), Source: h.Source,
			Original: originalText(h), Adapters: adaptersText(h),
			OriginalLink: filterHref(i, "p", PurposeFixPerf, "c", ClassUpdatableOrig),
			AdaptersLink: filterHref(i, "p", PurposeFixPerf, "c", ClassUpdatableAdapter)})
	}
	for _, r := range rep.Rows {
		i := index[r.Dataset]
		group := r.Group
		if group == AllGroups {
			group = ""
		}
		href := func(class string) string { return filterHref(i, "g", group, "p", r.Purpose, "c", class) }
		pr := pageRow{Dataset: r.Dataset, Group: r.Group, Purpose: r.Purpose,
			Total:    link{Text: fmt.Sprint(r.Total), Href: href(""), Empty: r.Total == 0},
			Source:   link{Text: fmt.Sprint(r.Source), Href: href(ClassSource), Empty: r.Source == 0},
			Original: link{Text: originalText(r), Href: href(ClassUpdatableOrig), Empty: r.UpdatableOriginal == nil},
			Adapters: link{Text: adaptersText(r), Href: href(ClassUpdatableAdapter), Empty: r.UpdatableWithAdapters == nil},
			Headline: r.Purpose == PurposeFixPerf,
		}
		for _, c := range Classes {
			pr.Cells = append(pr.Cells, link{Text: cell(r, c), Href: href(c), Class: c, Empty: r.Count(c) == 0})
		}
		d.Rows = append(d.Rows, pr)
	}
	var err error
	d.SharesTitle = "Class shares by purpose"
	if rep.By != ByPurpose {
		d.SharesTitle = "Class shares of bug-fix and performance commits by " + rep.By
	}
	if d.SharesSVG, err = sharesChart(rep); err != nil {
		return fmt.Errorf("shares chart: %w", err)
	}
	if d.TimelineSVG, d.TimelineLegend, err = timelineChart(rep); err != nil {
		return fmt.Errorf("timeline chart: %w", err)
	}
	if len(rep.Datasets) > 0 {
		d.Period = rep.Datasets[0].Period
	}
	for i, s := range rep.Datasets {
		pd := pageDataset{Summary: s, Index: i}
		for _, c := range s.UnsupportedReasons {
			pd.Reasons = append(pd.Reasons, pageCount{c.Name, c.Commits, filterHref(i, "r", c.Name)})
		}
		for _, c := range s.Hazards {
			pd.Hazards = append(pd.Hazards, pageCount{c.Name, c.Commits, filterHref(i, "h", c.Name)})
		}
		for _, b := range s.BlockingFiles {
			pd.Files = append(pd.Files, pageBlocker{b, filterHref(i, "f", b.Name)})
		}
		for _, b := range s.BlockingTypes {
			pd.Types = append(pd.Types, pageBlocker{b, filterHref(i, "t", b.Name)})
		}
		if pd.FilesSVG, err = blockersChart(s.BlockingFiles, path.Base); err != nil {
			return fmt.Errorf("files chart: %w", err)
		}
		if pd.TypesSVG, err = blockersChart(s.BlockingTypes, func(s string) string { return s }); err != nil {
			return fmt.Errorf("types chart: %w", err)
		}
		d.Datasets = append(d.Datasets, pd)
	}
	for _, ds := range datasets {
		i, ok := index[ds.Label]
		if !ok {
			continue
		}
		for _, c := range ds.Commits {
			if !c.Merge {
				d.Commits = append(d.Commits, pageCommitOf(i, ds.Label, c, rep))
			}
		}
	}
	return pageTemplate.Execute(w, d)
}

// listSep separates the values of a list in a data attribute; no path or
// name the analysis records contains it.
const listSep = "|"

func pageCommitOf(ds int, label string, c *store.Commit, rep *Report) pageCommit {
	pc := pageCommit{DS: ds, Dataset: label, Sha: c.Sha, Short: short(c.Sha), Date: c.AuthorTime.UTC().Format("2006-01-02"),
		Purpose: c.Purpose, Class: c.Class, Hazards: strings.Join(c.Hazards, ","), Subject: c.Subject, Reason: c.Reason}
	var groups []string
	if rep.By != ByPurpose {
		for _, m := range Groups(c, rep.By, rep.PathDepth) {
			groups = append(groups, m.Group+"="+m.Class)
		}
	}
	pc.Groups = strings.Join(groups, listSep)
	if c.Class == "interface" || c.Class == "unsupported" {
		files, types := map[string]*Blocker{}, map[string]*Blocker{}
		countBlockers(c, files, types)
		pc.Files, pc.Types = joinKeys(files), joinKeys(types)
	}
	if c.Class == "unsupported" {
		pc.Reasons = strings.Join(unsupportedReasons(c), listSep)
	}
	return pc
}

func joinKeys(m map[string]*Blocker) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, listSep)
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
