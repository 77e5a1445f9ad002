# The two commands of the README. Both install what they need first (idempotent).
.PHONY: run test migrate clean-var

## Set up and run the service on its embedded defaults: http://127.0.0.1:3000
run:
	@scripts/run.sh

## Set up and run every test suite (what CI runs).
test:
	@scripts/test.sh

## Forget the embedded defaults' data: database, SoftHSM token, development PKI.
clean-var:
	rm -rf var
