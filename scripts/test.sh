#!/usr/bin/env bash
# Every test suite, from a fresh clone: setup, formatting, clippy (server and browser builds),
# cargo tests on SQLite and PostgreSQL, then Playwright on desktop (SQLite) and phone (PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
started=$SECONDS
step() { printf '\033[1m==> %s\033[0m (%ss)\n' "$*" $((SECONDS - started)); }

step "setup"
scripts/setup.sh test

step "rustfmt"
cargo fmt --all --check

step "the server's dependency rule (docs/architecture.md)"
scripts/check-layers.py

# `frontend` is built for wasm32 only: building it with the others would unify its `hydrate`
# features into the server build (Leptos then spawns tasks the browser way and panics).
step "clippy (server side and tests)"
cargo clippy --locked --workspace --exclude frontend --all-targets -- -D warnings
step "clippy (the evidence engine alone: verification without PKCS#11 or HTTP)"
cargo clippy --locked -p evidence --no-default-features --all-targets -- -D warnings
step "clippy (browser side)"
cargo clippy --locked -p frontend -p hasher --target wasm32-unknown-unknown -- -D warnings

step "PostgreSQL (throwaway cluster)"
# A cluster of this run's own (socket only, so runs side by side never collide).
PLI_PG_DIR=$(mktemp -d /tmp/pli-postgres-test.XXXXXX)
export PLI_PG_DIR
PLI_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
export PLI_TEST_POSTGRES_URL PLI_TEST_REQUIRE_POSTGRES=1
trap 'scripts/postgres.sh stop' EXIT

step "cargo test (SQLite and PostgreSQL)"
cargo test --locked --workspace --exclude frontend
# The browser tests' server is the `pli` binary cargo test built for the server's integration
# tests (`cargo build -p server` would compile the workspace crates again, for nothing: their
# features differ without the dev-dependencies). Playwright's servers (end2end/serve.sh) run
# this checkout's copy of it, taken now: another clone may rebuild the shared target directory's
# before they start.
PLI_BIN=$(scripts/own-binary.sh debug)
export PLI_BIN

step "build the site for the browser tests"
scripts/build-site.sh
step "the WASM client calls only server functions the server serves"
scripts/check-site.sh "$PLI_BIN"

step "Playwright (Chromium: desktop on SQLite, phone on PostgreSQL)"
# Ports of this run's own, fifteen from the base (runs side by side never collide).
export PLI_E2E_PORT_BASE=$((20000 + RANDOM % 2000 * 20))
if ! (cd end2end && CI=1 npx playwright test); then
  # What the servers logged as errors and warnings: the cause of a 500 a journey met.
  for port in $(seq "$PLI_E2E_PORT_BASE" $((PLI_E2E_PORT_BASE + 14))); do
    log=$(cat "${TMPDIR:-/tmp}/pli-e2e-$port.log-path" 2>/dev/null) || continue
    grep -E '\b(ERROR|WARN)\b' "$log" | tail -n 15 | sed "s/^/[server :$port] /" || true
  done
  exit 1
fi

step "all tests passed"
