#!/usr/bin/env bash
# Sets up and runs Pli on its embedded defaults (see README: what `make run` sets up).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh run
scripts/build-site.sh
cargo build --locked --release -p server
echo "Starting Pli on http://127.0.0.1:3000 (Ctrl-C to stop)"
exec "$CARGO_TARGET_DIR/release/pli" serve
