#!/usr/bin/env bash
# make demo: the main job on the bundled corpus. Grows as the pipeline lands.
set -euo pipefail
bin=$1
out=$2
mkdir -p "$out"
"$bin" version

# ---- synth: emit and verify every corpus commit of class code, state or
# interface, in both modes (owned by the synth helper) --------------------
corpus_repo="$out/corpus-repo"
[ -d "$corpus_repo" ] || "$bin" corpus build -o "$corpus_repo" >/dev/null
"$bin" analyze "$corpus_repo" --db "$out/corpus.db" -q
pkgs=()
while read -r sha class; do
  case $class in code|state|interface) ;; *) continue ;; esac
  "$bin" emit "$sha" --repo "$corpus_repo" --db "$out/corpus.db" -o "$out/updates/$sha" >/dev/null && pkgs+=("$out/updates/$sha")
done < <("$bin" report commits --db "$out/corpus.db" --format json | python3 -c 'import json,sys; [print(c["sha"], c["class"]) for c in json.load(sys.stdin)]')
"$bin" verify --mode both "${pkgs[@]}" | tail -1 || true
