#!/usr/bin/env bash
# Serves the built site on the embedded defaults (temporary var dir) and measures a first visit
# on a throttled phone profile (end2end/bench/first-load.mjs): uncompressed against compressed,
# in the same run, and a second visit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port=${PLI_BENCH_PORT:-3998}
source bench/serve-site.sh
(cd end2end && node bench/first-load.mjs "http://127.0.0.1:$port")
