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

cargo build --locked -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"

wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name pli "$wasm"
# Debian's wasm-opt 108 breaks hydration: only the npm binaryen pinned in setup.sh is used.
"$PLI_TOOLS/node_modules/.bin/wasm-opt" -Oz \
  --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$site/pkg/pli_bg.wasm" -o "$site/pkg/pli_bg.wasm.opt"
mv "$site/pkg/pli_bg.wasm.opt" "$site/pkg/pli_bg.wasm"

cp style/main.css "$site/pkg/pli.css"
cp -r public/. "$site/"
echo "site built in $site ($(du -h "$site/pkg/pli_bg.wasm" | cut -f1) of wasm)"
