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
# local OpenID provider the tests run (oidc-provider from npm), and `make run IDENTITY=wallet`
# the test EU digital identity wallet and its PID issuers (eudi-wallet.mjs, SD-JWT libraries
# from npm): both installed by `make test`, NOT qualified either.
peer() { # peer NAME PACKAGE SCRIPT ARGS...: starts a test peer of end2end/peers, stopped on exit
  local name=$1 package=$2; shift 2
  if [ ! -d "end2end/node_modules/$package" ]; then
    echo "IDENTITY=$name needs its test peer: run \`make test\` once (it installs it)." >&2
    exit 1
  fi
  mkdir -p var
  node "$@" &
  trap "kill $! 2>/dev/null" EXIT
}
case "${IDENTITY:-simulator}" in
  simulator) ;;
  oidc)
    peer oidc oidc-provider end2end/peers/oidc-provider.mjs --port 4010 \
      --keys var/oidc-keys.json --redirect http://localhost:3000/identity/oidc/callback
    export PLI_IDENTITY__PROVIDER=oidc PLI_IDENTITY__OIDC__NAME=local-oidc \
      PLI_IDENTITY__OIDC__ISSUER=http://127.0.0.1:4010 PLI_IDENTITY__OIDC__CLIENT_ID=pli-rs \
      PLI_IDENTITY__OIDC__CLIENT_SECRET=pli-secret \
      PLI_IDENTITY__OIDC__LEVELS='["eidas1", "eidas2", "eidas3"]' \
      PLI_IDENTITY__OIDC__REQUIRED_LEVEL=eidas2
    echo "Identities are proven at the local OpenID provider (not qualified): http://127.0.0.1:4010"
    ;;
  wallet)
    peer wallet @sd-jwt/sd-jwt-vc end2end/peers/eudi-wallet.mjs --port 4020 \
      --keys var/eudi-wallet-keys.json
    export PLI_IDENTITY__PROVIDER=wallet PLI_IDENTITY__WALLET__NAME=test-wallet \
      PLI_IDENTITY__WALLET__TRUSTED_ISSUERS='["http://127.0.0.1:4020/issuers/trusted"]' \
      PLI_IDENTITY__WALLET__WALLET_URL=http://127.0.0.1:4020/authorize
    echo "Identities are proven with the test EU wallet (not qualified): its QR code and link" \
      "open http://127.0.0.1:4020/authorize"
    ;;
  *)
    echo "IDENTITY must be simulator, oidc or wallet" >&2
    exit 1
    ;;
esac
echo "Starting Pli on http://localhost:3000 (Ctrl-C to stop)"
"$pli" serve
