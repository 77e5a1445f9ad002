# Sourced by the in-browser benchmarks: builds the site and the release server, and serves them
# on the embedded defaults (a temporary var dir) on port $port, until the script exits.
scripts/setup.sh test >/dev/null
scripts/build-site.sh >/dev/null
cargo build --locked --release -p server
var=$(mktemp -d /tmp/pli-bench.XXXXXX)
unset SOFTHSM2_CONF
PLI_VAR_DIR=$var PLI_SERVER__LISTEN=127.0.0.1:$port PLI_SERVER__PUBLIC_URL=http://127.0.0.1:$port \
  PLI_SERVER__SITE_ROOT=$PWD/target/site PLI_HSM__SOFTHSM2_CONF=$var/softhsm2.conf \
  PLI_PKI__DIR=$var/pki PLI_DATABASE__URL=sqlite://$var/pli.sqlite3 \
  "$(scripts/own-binary.sh release)" serve >"$var/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$var"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
