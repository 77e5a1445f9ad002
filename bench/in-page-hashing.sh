#!/usr/bin/env bash
# Serves the built site on the embedded defaults (temporary var dir) and runs the in-page
# hashing benchmark against it, PLI_BENCH_RUNS times (default 1; then the median ratios, since
# the machine's load moves single runs a lot).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port=${PLI_BENCH_PORT:-3999}
source bench/serve-site.sh
runs=${PLI_BENCH_RUNS:-1}
ratios=()
natives=()
for run in $(seq 1 "$runs"); do
  [ "$runs" -gt 1 ] && echo "--- run $run of $runs"
  out=$(cd end2end && node bench/in-page-hashing.mjs "http://127.0.0.1:$port") || { echo "$out"; exit 1; }
  echo "$out"
  ratios+=("$(sed -n 's/^ratio ours \/ hash-wasm: \([0-9.]*\).*/\1/p' <<<"$out")")
  natives+=("$(sed -n 's/^ratio ours \/ sha256sum: \([0-9.]*\).*/\1/p' <<<"$out")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
if [ "$runs" -gt 1 ]; then
  echo "--- ratios ours / sha256sum: ${natives[*]}; median $(median "${natives[@]}") (target >= 0.85)"
  echo "--- ratios ours / hash-wasm: ${ratios[*]}; median $(median "${ratios[@]}")"
fi
