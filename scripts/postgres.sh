#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (PostgreSQL refuses to run as root, so it runs
# as the `postgres` system user that Debian's package creates), on a Unix socket only.
#   scripts/postgres.sh start   → prints the admin URL to use
#   scripts/postgres.sh stop
#   scripts/postgres.sh url
set -euo pipefail
dir=${PLI_PG_DIR:-/tmp/pli-postgres}
port=${PLI_PG_PORT:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
as_pg() { runuser -u postgres -- "$@"; }
url="postgres:///postgres?host=$dir/socket&port=$port&user=postgres"

case ${1:-} in
  start)
    if [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "$url"; exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir/socket"
    chmod 755 "$dir"
    chown -R postgres: "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-k $dir/socket -c listen_addresses= -p $port -c fsync=off -c max_connections=200" start >/dev/null
    echo "$url"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
    ;;
  url) echo "$url" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
