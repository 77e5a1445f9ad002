#!/usr/bin/env bash
# Installs what Pli needs on a fresh Debian machine (run as root), idempotently; seconds when
# everything is already there.
#   scripts/setup.sh run    what `make run` needs
#   scripts/setup.sh test   plus the test peers (PostgreSQL, Chromium, validators, Playwright)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
what=${1:-run}

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
# libssl-dev, pkg-config: OpenSSL for the WebAuthn library (passkeys, issue 14).
packages=(softhsm2 ca-certificates brotli libssl-dev pkg-config)
if [ "$what" = test ]; then
  packages+=(opensc poppler-utils libnss3-tools qpdf postgresql chromium)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Rust toolchain pinned in rust-toolchain.toml, with the wasm32 target ----------------------
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup run "$toolchain" rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null \
    | xargs -I{} test -d {} 2>/dev/null; then
  step "rustup: installing $toolchain with wasm32-unknown-unknown"
  rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy
  rustup target add --toolchain "$toolchain" wasm32-unknown-unknown
fi

# --- wasm-bindgen CLI: exactly the version of the wasm-bindgen crate in Cargo.lock -------------
wb_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$wb_version" ]; then
  step "cargo install wasm-bindgen-cli $wb_version (about 8 minutes, once per machine)"
  # Without --locked: its lockfile pins a webpki-roots release the registry mirror lacks.
  cargo +"$toolchain" install wasm-bindgen-cli --version "$wb_version" --force
fi

# --- wasm-split: cuts the app's WASM at its lazy routes (docs/build.md, "First load") ----------
# The splitter of the wasm_split_helpers runtime Leptos uses (wasm_split_helpers 0.2.x); its
# version is pinned here and its own lockfile is used.
ws_version=0.2.4
# (The CLI has no --version: the installed version is recorded next to it.)
if [ ! -x "$PLI_TOOLS/wasm-split/bin/wasm-split-cli" ] ||
   [ "$(cat "$PLI_TOOLS/wasm-split/VERSION" 2>/dev/null)" != "$ws_version" ]; then
  step "cargo install wasm_split_cli_support $ws_version (a few minutes, once per machine)"
  cargo +"$toolchain" install --locked wasm_split_cli_support --version "$ws_version" \
    --features build-binary --root "$PLI_TOOLS/wasm-split" --force
  echo "$ws_version" >"$PLI_TOOLS/wasm-split/VERSION"
fi

# --- wasm-opt from npm's binaryen (Debian's wasm-opt 108 breaks hydration) ----------------------
if [ ! -x "$PLI_TOOLS/node_modules/.bin/wasm-opt" ]; then
  step "npm: binaryen (wasm-opt)"
  mkdir -p "$PLI_TOOLS"
  (cd "$PLI_TOOLS" && npm install --no-audit --no-fund --silent binaryen@132)
fi

if [ "$what" = test ]; then
  # --- Independent validators and test peers (PyPI, in a venv outside the clone) ---------------
  venv=$PLI_CACHE/venv
  if [ ! -x "$venv/bin/pyhanko" ] || [ ! -x "$venv/bin/certomancer" ]; then
    step "pip: pyHanko, certomancer, pyotp"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'pyhanko[pkcs11,requests,etsi]' pyhanko-cli 'certomancer[web-api]' \
      pyhanko-certvalidator pyotp
  fi
  # The SMTP server the tests start (server/tests/common/smtp_server.py): one that can refuse
  # an address (issue 10).
  if [ ! -x "$venv/bin/aiosmtpd" ]; then
    step "pip: aiosmtpd"
    "$venv/bin/pip" install -q 'aiosmtpd>=1.4,<2'
  fi

  # --- Playwright (driving Debian's Chromium; no browser download) ------------------------------
  if [ ! -d end2end/node_modules/@playwright/test ] \
      || ! cmp -s end2end/package-lock.json end2end/node_modules/.package-lock.json; then
    step "npm: end2end dependencies"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
fi
step "setup ($what) done"
