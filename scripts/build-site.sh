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
  # hasher/hash-worker.js (built for speed: opt-level 3 and SIMD, see docs/build.md). Separate
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

wasm_opt() { # LEVEL FILE: optimise FILE in place
  # Debian's wasm-opt 108 breaks hydration: only the npm binaryen pinned in setup.sh is used.
  "$PLI_TOOLS/node_modules/.bin/wasm-opt" "$1" \
    --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$2" -o "$2.opt"
  mv "$2.opt" "$2"
}

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
  if [ "$1" = pli ]; then
    # Code splitting (docs/build.md, "First load"): wasm-split cuts the module at the lazy
    # routes' split points into the main module and one chunk per page (plus shared chunks),
    # and writes the loader __wasm_split.js, which fetches a chunk when the router first needs
    # it; wasm-bindgen then keeps the exports the chunks link against.
    split=target/wasm/split
    rm -rf "$split" "$site/pkg/split" && mkdir -p "$split"
    "$PLI_TOOLS/wasm-split/bin/wasm-split-cli" "$input" "$split"
    wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
      --out-dir "$site/pkg" --out-name "$1" "$split/main.wasm"
    rm "$split/main.wasm"
    # The loader imports the main module's glue as ./main.js: ours is pli.js, next to it.
    sed -i 's#"\./main\.js"#"./pli.js"#g' "$split/__wasm_split.js"
    grep -q '"./pli.js"' "$split/__wasm_split.js" ||
      { echo "build-site: __wasm_split.js does not import ./main.js any more" >&2; exit 1; }
    # The chunks (hundreds) in two processes (one per core) instead of one each: the same
    # optimisation as wasm_opt, byte for byte.
    chunks=("$split"/*.wasm)
    if [ -e "${chunks[0]}" ]; then
      printf '%s\0' "${chunks[@]}" |
        xargs -0 -n $(((${#chunks[@]} + 1) / 2)) -P 2 \
          node scripts/wasm-opt-many.mjs "$PLI_TOOLS/node_modules/binaryen" "$3" \
        2> >(grep -v '^warning: unknown name subsection' >&2)
    fi
    mv "$split" "$site/pkg/split"
  else
    wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name "$1" "$input"
  fi
  wasm_opt "$3" "$site/pkg/$1_bg.wasm"
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
cp hasher/hash-worker.js "$site/pkg/hash-worker.js"
cp -r public/. "$site/"

# The content-addressed bundle: what the pages load goes to pkg/<hash>/, named by the hash of
# its files, and is served with `Cache-Control: immutable` (a new build is a new directory),
# precompressed with brotli and gzip; pkg/BUNDLE names the current directory for the server
# (read at start-up). See docs/build.md, "First load".
bundle=(pli.js pli_bg.wasm pli.css hasher.js hasher_bg.wasm hash-worker.js)
split_files=$(cd "$site/pkg/split" && ls)
hash=$(cd "$site/pkg" && cat "${bundle[@]}" $(printf 'split/%s ' $split_files) | sha256sum | cut -c1-16)
dir=$site/pkg/$hash
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  for f in "${bundle[@]}"; do cp "$site/pkg/$f" "$dir/$f"; done
  # The loader and the chunks sit next to the main module's glue (they import it as ./pli.js).
  cp "$site/pkg/split/"* "$dir/"
  for f in "$dir"/*; do
    gzip -9 -n -k "$f"
    brotli -q 11 -k "$f"
  done
  touch "$dir/.complete"
fi
# Size budget of the app's WASM, as sent (gzip): the build fails above it (docs/build.md).
budget_kb=${PLI_WASM_BUDGET_KB:-$(cat scripts/wasm-budget-kb)}
gz_bytes=$(stat -c %s "$dir/pli_bg.wasm.gz")
br_bytes=$(stat -c %s "$dir/pli_bg.wasm.br")
echo "site built in $site: /pkg/$hash/, app WASM $(stat -c %s "$dir/pli_bg.wasm") bytes," \
  "$gz_bytes gzip, $br_bytes brotli (budget ${budget_kb} KB gzip)"
if [ "$gz_bytes" -gt $((budget_kb * 1024)) ]; then
  echo "build-site: the app WASM is $((gz_bytes / 1024)) KB gzip, over its budget of ${budget_kb} KB" \
    "(scripts/wasm-budget-kb): see docs/build.md, \"First load\"" >&2
  exit 1
fi
echo "$hash" >"$site/pkg/BUNDLE.tmp" && mv "$site/pkg/BUNDLE.tmp" "$site/pkg/BUNDLE"
# Earlier bundles of this site go (a server started before this build keeps its files open).
find "$site/pkg" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
  -regex '.*/[0-9a-f]{16}' ! -name "$hash" -exec rm -rf {} +
