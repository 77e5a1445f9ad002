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
root=$(pwd -P)
mkdir -p "$site/pkg" target/wasm "$CARGO_TARGET_DIR"
out="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release"

# The target directory is shared by every clone on the machine, and a cdylib's output
# ($out/frontend.wasm, $out/deps/frontend.wasm) has the same name for all of them: what cargo
# leaves there is the module of whichever checkout built it last. Every workspace crate reads
# PLI_CHECKOUT (.cargo/config.toml), so cargo rebuilds a crate another checkout built last;
# rustc's dep-info for the module ($out/deps/CRATE.d) says which checkout that was. The module is
# copied into this checkout (target/wasm/) under a lock, so that another clone's build-site.sh
# cannot replace it between our build and our copy. See docs/build.md.
built_here() { grep -qxF "# env-dep:PLI_CHECKOUT=$root/" "$out/deps/$1.d" 2>/dev/null; }
build_wasm() {
  # Two WASM modules: the app (built for size) and the file hasher run by
  # public/hash-worker.js (built for speed: opt-level 3 and SIMD, see docs/build.md). Separate
  # cargo invocations, so that the app's `hydrate` features never meet anything else.
  cargo build --locked -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  cargo build --locked -p hasher --lib --target wasm32-unknown-unknown --profile wasm-release
}
exec 9>"$CARGO_TARGET_DIR/.pli-wasm.lock"
flock 9
build_wasm
if ! built_here frontend || ! built_here hasher; then
  # Built last by a checkout whose crates do not read PLI_CHECKOUT yet (an older commit): its
  # files were newer than ours, so cargo kept them. Make ours newer and build again.
  echo "build-site: the shared WASM build came from another checkout; rebuilding this one's" >&2
  find app frontend hasher evidence server -name '*.rs' -path '*/src/*' -exec touch {} +
  build_wasm
  for crate in frontend hasher; do
    if ! built_here $crate; then
      echo "build-site: $out/$crate.wasm was not built from $root (see $out/deps/$crate.d)" >&2
      exit 1
    fi
  done
fi
cp "$out/frontend.wasm" target/wasm/frontend.wasm.tmp
cp "$out/hasher.wasm" target/wasm/hasher.wasm.tmp
mv target/wasm/frontend.wasm.tmp target/wasm/frontend.wasm
mv target/wasm/hasher.wasm.tmp target/wasm/hasher.wasm
flock -u 9

# bundle name, crate, wasm-opt level
for spec in "pli frontend -Oz" "hasher hasher -O3"; do
  set -- $spec
  input=target/wasm/$2.wasm
  # Unchanged module: keep the optimised output (wasm-opt alone takes tens of seconds). By
  # content, not by date: the input's hash and the site it went into are recorded after a
  # successful build.
  stamp=target/wasm/$1.built
  want="$(sha256sum <"$input" | cut -d' ' -f1) $(realpath "$site")"
  if [ -f "$site/pkg/$1_bg.wasm" ] && [ -f "$site/pkg/$1.js" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    continue
  fi
  rm -f "$stamp"
  wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name "$1" "$input"
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
  echo "$want" >"$stamp"
done

cp style/main.css "$site/pkg/pli.css"
cp -r public/. "$site/"
echo "site built in $site ($(du -h "$site/pkg/pli_bg.wasm" | cut -f1) of wasm)"
