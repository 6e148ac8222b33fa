// Package kernel owns "the kernel at a revision": which files make a kernel
// at a revision and with which settings. Every command asks here, so they
// agree.
//
//   - Opening a repository: a work tree, a linked work tree, a bare
//     repository or a mirror's object store (Open, Repo), with an object
//     store tuned for walking a whole history.
//   - Revisions with git's rules (Repo.Resolve, SplitRange): a ref is
//     preferred over a SHA prefix, a prefix has at least MinAbbrev digits,
//     and a prefix several commits share is refused with the candidates
//     (*AmbiguousError). Repo.Commits lists a range parents first.
//   - A revision's tree as an io/fs.FS (TreeFS), read lazily.
//   - Commits made in memory (Repo.CommitInMemory): a revision with file
//     edits applied (a patch not committed yet), its objects read like any
//     other and never written to the repository.
//   - upsynth.yaml, one schema read strictly (Config, Parse;
//     docs/upsynth-yaml.md), and the one glob dialect (Match: doublestar's).
//   - Source kinds (KindOf), the module list on the emulated target
//     (Tree.Modules), include paths, and the target's ABI — its predefined
//     macros and headers, whose one copy is runtime/emu/abi (Predefined,
//     WithABI, SearchPaths).
//
// Tree puts these together for one revision (Repo.At) or directory
// (FromDir). analyze, synth, emit, verify (through the plan emit writes),
// target run and report take their kernel from here; nothing else opens a
// repository, reads upsynth.yaml or matches globs (deps_test.go checks the
// imports). The package knows nothing of classes or updates.
package kernel
