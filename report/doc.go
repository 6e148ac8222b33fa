// Package report owns what upsynth tells a reader about an analysis: the
// coverage table in the paper's terms (which share of past changes a
// dynamic-update system could have applied, by purpose, year or directory),
// the filters that select the commits behind any cell of it, and the
// renderings of both as text, JSON, CSV, Markdown and a self-contained HTML
// page with charts. It reads commits as the analysis store returns them and
// never classifies anything itself.
package report
