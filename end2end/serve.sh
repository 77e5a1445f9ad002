#!/usr/bin/env bash
# Starts one Pli server for the browser tests, on the embedded development defaults but with
# its own fresh var directory and database.   serve.sh sqlite|postgres PORT
# PLI_E2E_HOST: the host of its public URL (127.0.0.1; `localhost` for passkeys, which need a
# domain name).
set -euo pipefail
backend=$1 port=$2
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/env.sh"
var=$(mktemp -d "/tmp/pli-e2e-$backend.XXXXXX")
unset SOFTHSM2_CONF
export PLI_VAR_DIR=$var \
  PLI_SERVER__LISTEN=127.0.0.1:$port \
  PLI_SERVER__PUBLIC_URL=http://${PLI_E2E_HOST:-127.0.0.1}:$port \
  PLI_SERVER__SITE_ROOT=$root/target/site \
  PLI_HSM__SOFTHSM2_CONF=$var/softhsm2.conf \
  PLI_PKI__DIR=$var/pki \
  PLI_EVIDENCE__SWEEP_SECONDS=2
case $backend in
  sqlite) export PLI_DATABASE__URL=sqlite://$var/pli.sqlite3 ;;
  postgres)
    admin=${PLI_TEST_POSTGRES_URL:?PostgreSQL e2e needs PLI_TEST_POSTGRES_URL (make test sets it)}
    db=e2e_$(date +%s)_$$
    psql -q "$admin" -c "CREATE DATABASE $db"
    export PLI_DATABASE__URL=${admin/postgres:\/\/\/postgres/postgres:\/\/\/$db}
    ;;
esac
# What a test needs to run a `pli` command on this server's data (back-office.spec.ts: the
# installation ceremony), by port.
printf 'PLI_DATABASE__URL=%s\nPLI_VAR_DIR=%s\nPLI_PKI__DIR=%s\nPLI_HSM__SOFTHSM2_CONF=%s\n' \
  "$PLI_DATABASE__URL" "$var" "$var/pki" "$var/softhsm2.conf" >"${TMPDIR:-/tmp}/pli-e2e-$port.env"
# The server's log goes to a file that scripts/test.sh shows the errors of when a journey fails
# (a 500 names a request id, which the log explains).
echo "$var/server.log" >"${TMPDIR:-/tmp}/pli-e2e-$port.log-path"
# make test runs its own copy of the binary (PLI_BIN, see scripts/own-binary.sh).
exec "${PLI_BIN:-$CARGO_TARGET_DIR/debug/pli}" serve >>"$var/server.log" 2>&1
