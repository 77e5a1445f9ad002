#!/usr/bin/env bash
# Checks that the WASM client in the site calls only server functions the server binary serves:
#   scripts/check-site.sh PLI_BINARY [SITE_ROOT]
# A client built from other sources than the server (another checkout's build picked up from the
# shared cargo target directory, an old site directory) calls URLs the server answers with 404
# once the page has hydrated. Run by `make run` and `make test` after both builds.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: check-site.sh PLI_BINARY [SITE_ROOT]}
site=${2:-${SITE_ROOT:-target/site}}
wasm=$site/pkg/pli_bg.wasm

fail() {
  printf '\033[1;31mcheck-site: %s\033[0m\n' "$1" >&2
  shift
  printf '  %s\n' "$@" >&2
  exit 1
}

# A server function without an explicit endpoint gets a URL hashed from the crate's path on disk:
# two checkouts would not agree on it (docs/build.md).
unnamed=$(grep -rn --include='*.rs' -E '^\s*#\[(leptos::)?server' app/src | grep -v 'endpoint *=' || true)
[ -z "$unnamed" ] || fail "server functions without an explicit endpoint:" "$unnamed"

[ -f "$wasm" ] || fail "no $wasm (run scripts/build-site.sh)"
served=$("$bin" server-fns) || fail "$bin server-fns failed"
[ -n "$served" ] || fail "$bin serves no server function"
# Server-function URLs are string constants in the module's data. Rust strings have no
# terminator, so the bytes of the next constant may follow a URL ("/api/sign_up4m"): a match
# counts when a served path is the URL or is followed by bytes that cannot continue an endpoint
# name of ours (snake_case: not "_"), nor be the hash a server function without an explicit
# endpoint gets (a long run of digits).
called=$(LC_ALL=C grep -aoE '/api/[A-Za-z0-9_/.-]+' "$wasm" | sort -u)
[ -n "$called" ] || fail "no /api/ URL found in $wasm"
missing=()
while read -r url; do
  ok=
  while read -r path; do
    rest=${url#"$path"}
    if [ "$url" = "$path" ] || { [ "$rest" != "$url" ] && [[ ! $rest =~ ^(_|[0-9]{6}) ]]; }; then
      ok=1
      break
    fi
  done <<<"$served"
  [ -n "$ok" ] || missing+=("$url")
done <<<"$called"
if [ ${#missing[@]} -gt 0 ]; then
  fail "$wasm calls server functions that $bin does not serve (a client built from other sources than the server: rebuild with scripts/build-site.sh):" "${missing[@]}"
fi
echo "check-site: the WASM client calls $(wc -l <<<"$called") server functions, all served by $bin"
