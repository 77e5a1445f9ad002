#!/usr/bin/env bash
# Pages that scale with the data (issue 11): p50/p99 of /sent, /inbox and a sent letter's page
# at 50 concurrent clients, with 100,000 evidences in the database, each as a ratio to a static
# file served in the same run (target: p99 ratio ≤ 2), on SQLite and on a throwaway PostgreSQL
# cluster. See server/benches/pages.rs for the settings (PLI_BENCH_*) and docs/performance.md.
#   bench/pages.sh            release build (what `make bench` runs)
#   PLI_BENCH_PROFILE=dev bench/pages.sh    a debug build (no release compilation)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh test >/dev/null
profile=${PLI_BENCH_PROFILE:-bench}
if [ -z "${PLI_TEST_POSTGRES_URL:-}" ]; then
  export PLI_PG_DIR=${PLI_PG_DIR:-$(mktemp -d /tmp/pli-pg-bench.XXXXXX)}
  PLI_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
  export PLI_TEST_POSTGRES_URL
  trap 'scripts/postgres.sh stop' EXIT
fi
cargo bench --locked --profile "$profile" -p server --bench pages
