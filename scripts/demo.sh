#!/usr/bin/env bash
# make demo: the main job on the bundled corpus. Grows as the pipeline lands.
set -euo pipefail
bin=$1
out=$2
mkdir -p "$out"
"$bin" version
