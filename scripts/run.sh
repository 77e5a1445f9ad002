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
# Who proves identities (issue 14): the simulator by default; `make run IDENTITY=oidc` uses the
# local OpenID provider the tests run (oidc-provider from npm, installed by `make test`), NOT
# qualified either, on http://127.0.0.1:4010.
case "${IDENTITY:-simulator}" in
  simulator) ;;
  oidc)
    if [ ! -d end2end/node_modules/oidc-provider ]; then
      echo "IDENTITY=oidc needs the local OpenID provider: run \`make test\` once (it installs it)." >&2
      exit 1
    fi
    mkdir -p var
    node end2end/peers/oidc-provider.mjs --port 4010 --keys var/oidc-keys.json \
      --redirect http://127.0.0.1:3000/identity/oidc/callback &
    provider=$!
    trap 'kill $provider 2>/dev/null' EXIT
    export PLI_IDENTITY__PROVIDER=oidc PLI_IDENTITY__OIDC__NAME=local-oidc \
      PLI_IDENTITY__OIDC__ISSUER=http://127.0.0.1:4010 PLI_IDENTITY__OIDC__CLIENT_ID=pli-rs \
      PLI_IDENTITY__OIDC__CLIENT_SECRET=pli-secret \
      PLI_IDENTITY__OIDC__LEVELS='["eidas1", "eidas2", "eidas3"]' \
      PLI_IDENTITY__OIDC__REQUIRED_LEVEL=eidas2
    echo "Identities are proven at the local OpenID provider (not qualified): http://127.0.0.1:4010"
    ;;
  wallet)
    echo "IDENTITY=wallet: the EU digital identity wallet is not built yet (issue 14, part 2)." >&2
    exit 1
    ;;
  *)
    echo "IDENTITY must be simulator or oidc" >&2
    exit 1
    ;;
esac
echo "Starting Pli on http://127.0.0.1:3000 (Ctrl-C to stop)"
"$pli" serve
