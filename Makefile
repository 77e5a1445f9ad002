# The two commands of the README. Both install what they need first (idempotent).
.PHONY: run test bench bench-hash clean-var

## Set up and run the service on its embedded defaults: http://127.0.0.1:3000
run:
	@scripts/run.sh

## Set up and run every test suite (what CI runs).
test:
	@scripts/test.sh

## Benchmarks: evidence sealing rate against the HSM's raw signature rate; a 100-recipient
## send against the raw signing time of the same token on one and two cores.
bench:
	@scripts/setup.sh run && . scripts/env.sh && cargo bench --locked -p evidence --bench seal
	@. scripts/env.sh && cargo bench --locked -p server --bench send

## Benchmark: in-page SHA-256 (ours in a Web Worker vs hash-wasm vs WebCrypto) in Chromium.
bench-hash:
	@bench/in-page-hashing.sh

## Forget the embedded defaults' data: database, SoftHSM token, development PKI.
clean-var:
	rm -rf var
