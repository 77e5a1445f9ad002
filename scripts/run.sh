#!/usr/bin/env bash
# Sets up and runs Pli on its embedded defaults (see README: what `make run` sets up).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh run
scripts/build-site.sh
cargo build --locked --release -p server
# The binary in the shared target directory is whichever checkout built it last: run a copy of
# ours, and only if the site's WASM client calls nothing it does not serve.
pli=$(scripts/own-binary.sh release)
scripts/check-site.sh "$pli"
echo "Starting Pli on http://127.0.0.1:3000 (Ctrl-C to stop)"
exec "$pli" serve
