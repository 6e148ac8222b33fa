#!/usr/bin/env bash
# make demo: the main job on the bundled corpus, end to end.
#   1. materialize the corpus kernel's history as a git repository
#   2. analyze every commit into the analysis database
#   3. print the coverage report (and write the HTML page)
#   4. emit and verify an update package for every updatable commit
#   5. re-verify the updates that need a person, with the hooks.go a person wrote
#      (synth/verify/testdata/hooks), compiling the packages' own Go tests
set -euo pipefail
bin=$(realpath "$1")
root=$(pwd)
out=$2
mkdir -p "$out"
cd "$out"

step() { printf '\n==> %s\n' "$*"; }

step "Building the corpus repository"
rm -rf corpus.git
"$bin" corpus build -o corpus.git --format json > corpus.json
echo "$(grep -c '"id"' corpus.json) commits in $out/corpus.git"

step "Analyzing its history"
rm -f upsynth.db
"$bin" analyze corpus.git --db upsynth.db --quiet

step "Coverage"
"$bin" report coverage --db upsynth.db
"$bin" report coverage --db upsynth.db --format html -o coverage.html
echo "page: $out/coverage.html"

# Emit and verify every corpus commit of class
# code, state or interface, in both modes.
step "Emitting and verifying the update of every code, state and interface commit"
rm -rf updates
pkgs=()
shas=()
for class in code state interface; do
  shas+=($("$bin" report commits --db upsynth.db --class "$class" --format csv | tail -n +2 | cut -d, -f1))
done
i=0
for sha in "${shas[@]}"; do
  i=$((i + 1))
  [ -t 1 ] && printf '\r  emitting %d/%d' "$i" "${#shas[@]}"
  if "$bin" emit "$sha" --repo corpus.git --db upsynth.db -o "updates/$sha" >/dev/null 2>"updates-$sha.err"; then
    pkgs+=("updates/$sha"); rm -f "updates-$sha.err"
  else
    echo "emit $sha: $(head -1 "updates-$sha.err")"
  fi
done
if [ -t 1 ]; then printf '\r'; fi
echo "  emitted ${#pkgs[@]} of ${#shas[@]} packages under $out/updates"
# verify shows its own progress on a terminal (standard error).
"$bin" verify --mode both "${pkgs[@]}" > verify.log || true
tail -1 verify.log | sed "s|^|  |"
if grep -q '^verify ' verify.log; then
  echo "not verified with the generated hooks, as expected: these updates rebuild a data"
  echo "structure in a new shape or resize memory the running kernel sized at boot, which"
  echo "no tool can infer (their PLAN.md lists it under \"Needs a person\"); the next step"
  echo "verifies them with the hooks.go a person wrote (details in $out/verify.log):"
  grep '^verify ' verify.log | sed 's/^verify /  /; s/:$//'
fi

step "Verifying the updates that need a person, with the hooks a person wrote"
hooks_dir="$root/synth/verify/testdata/hooks"
failed=0
for dir in "$hooks_dir"/*/; do
  id=$(basename "$dir")
  sha=$(grep -A1 "\"id\": \"$id\"" corpus.json | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p')
  [ -n "$sha" ] && [ -d "updates/$sha" ] || continue
  cp "$dir/hooks.go" "updates/$sha/hooks.go"
  "$bin" emit "$sha" --repo corpus.git --db upsynth.db -o "updates/$sha" >/dev/null  # keeps hooks.go
  # The package's own go vet and go test, offline: an emitted package builds
  # with nothing but what building upsynth downloaded.
  if (cd "updates/$sha" && GOPROXY=off GOFLAGS= go vet . && GOPROXY=off GOFLAGS= "$bin" verify --go --mode both .) > "verify-$id.log" 2>&1; then
    echo "  ok   $id"
  else
    echo "  FAIL $id (details in $out/verify-$id.log)"
    failed=$((failed + 1))
  fi
done
if [ "$failed" -gt 0 ]; then
  echo "$failed updates with a person's hooks did not verify"
  exit 1
fi

step "Next"
echo "  read a plan:           less $out/updates/<sha>/PLAN.md"
echo "  one commit's reasons:  upsynth report commit <sha> --db $out/upsynth.db"
echo "  the coverage page:     $out/coverage.html"
echo "  your own kernel:       upsynth analyze ~/src/kernel --db k.db && upsynth report coverage --db k.db"
echo "  (upsynth is $bin)"
