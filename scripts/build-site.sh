#!/usr/bin/env bash
# Builds the browser half of the app into $SITE_ROOT (default target/site):
#   frontend (Rust → wasm32) → wasm-bindgen (JS glue) → wasm-opt → pkg/pli{.js,_bg.wasm}
#   style/main.css → pkg/pli.css; public/* → site root.
# This is what cargo-leptos would do; doing it here saves installing cargo-leptos (~25 min of
# compilation on a fresh machine). See docs/build.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

site=${SITE_ROOT:-target/site}
mkdir -p "$site/pkg"

# Two WASM modules: the app (built for size) and the file hasher run by public/hash-worker.js
# (built for speed: opt-level 3 and SIMD, see docs/build.md). Separate cargo invocations, so
# that the app's `hydrate` features never meet anything else.
cargo build --locked -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
cargo build --locked -p hasher --lib --target wasm32-unknown-unknown --profile wasm-release
out="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release"

# bundle name, crate, wasm-opt level
for spec in "pli frontend -Oz" "hasher hasher -O3"; do
  set -- $spec
  # Unchanged module: keep the optimised output (wasm-opt alone takes tens of seconds).
  if [ "$site/pkg/$1_bg.wasm" -nt "$out/$2.wasm" ] && [ "$site/pkg/$1.js" -nt "$out/$2.wasm" ]; then
    continue
  fi
  wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name "$1" "$out/$2.wasm"
  # Debian's wasm-opt 108 breaks hydration: only the npm binaryen pinned in setup.sh is used.
  "$PLI_TOOLS/node_modules/.bin/wasm-opt" "$3" \
    --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$site/pkg/$1_bg.wasm" -o "$site/pkg/$1_bg.wasm.opt"
  mv "$site/pkg/$1_bg.wasm.opt" "$site/pkg/$1_bg.wasm"
  # sha2 picks its wasm SIMD backend only when the crate is compiled with +simd128 (from
  # .cargo/config.toml; a RUSTFLAGS variable silently replaces those flags): without it the
  # hasher still works, ~15 % slower. Fail loudly instead.
  if [ "$1" = hasher ] && ! "$PLI_TOOLS/node_modules/.bin/wasm-dis" "$site/pkg/$1_bg.wasm" | grep -q 'i32x4\.'; then
    echo "build-site: the hasher WASM has no SIMD instructions (built without +simd128?)" >&2
    rm -f "$site/pkg/$1_bg.wasm"
    exit 1
  fi
done

cp style/main.css "$site/pkg/pli.css"
cp -r public/. "$site/"
echo "site built in $site ($(du -h "$site/pkg/pli_bg.wasm" | cut -f1) of wasm)"
