# The two commands of the README. Both install what they need first (idempotent).
.PHONY: run test bench bench-hash bench-first-load clean-var

## Set up and run the service on its embedded defaults: http://127.0.0.1:3000
run:
	@scripts/run.sh

## Set up and run every test suite (what CI runs).
test:
	@scripts/test.sh

## Benchmarks: evidence sealing rate against the HSM's raw signature rate; a 100-recipient
## send against the raw signing time of the same token on one and two cores; pages at 50
## clients against a static file; first load of the home page on a throttled phone profile.
bench:
	@scripts/setup.sh run && . scripts/env.sh && cargo bench --locked -p evidence --bench seal
	@cargo bench --locked -p evidence --bench log
	@. scripts/env.sh && cargo bench --locked -p server --bench send
	@. scripts/env.sh && cargo bench --locked -p server --bench renewal
	@bench/pages.sh
	@bench/first-load.sh

## Benchmark: first visit on a throttled phone (Slow 4G, 4x CPU), uncompressed vs compressed.
bench-first-load:
	@bench/first-load.sh

## Benchmark: in-page SHA-256 (ours in a Web Worker vs hash-wasm vs WebCrypto) in Chromium.
bench-hash:
	@bench/in-page-hashing.sh

## Forget the embedded defaults' data: database, SoftHSM token, development PKI.
clean-var:
	rm -rf var

## Benchmark: /sent, /inbox and a letter's page with 100,000 evidences against a static file,
## 50 clients, SQLite and PostgreSQL (issue 11; also part of `make bench`).
.PHONY: bench-pages
bench-pages:
	@bench/pages.sh
