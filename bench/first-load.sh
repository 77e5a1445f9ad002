#!/usr/bin/env bash
# Serves the built site on the embedded defaults (temporary var dir) and measures a first visit
# on a throttled phone profile (end2end/bench/first-load.mjs): uncompressed against compressed,
# in the same run, and a second visit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh test >/dev/null
scripts/build-site.sh
cargo build --locked --release -p server
port=${PLI_BENCH_PORT:-3998}
var=$(mktemp -d /tmp/pli-bench.XXXXXX)
unset SOFTHSM2_CONF
PLI_VAR_DIR=$var PLI_SERVER__LISTEN=127.0.0.1:$port PLI_SERVER__PUBLIC_URL=http://127.0.0.1:$port \
  PLI_SERVER__SITE_ROOT=$PWD/target/site PLI_HSM__SOFTHSM2_CONF=$var/softhsm2.conf \
  PLI_PKI__DIR=$var/pki PLI_DATABASE__URL=sqlite://$var/pli.sqlite3 \
  "$(scripts/own-binary.sh release)" serve >"$var/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$var"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
(cd end2end && node bench/first-load.mjs "http://127.0.0.1:$port")
