# The two commands the README promises. Both install what they need first.
SWIFT ?= swift

.PHONY: run test build deps

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

## The main job on the bundled sample call (see scripts/run-sample.sh).
run: deps
	@scripts/run-sample.sh

## The whole test suite. Serial (--no-parallel): on a 2-core machine, CPU-bound tests running
## beside the HTTP fault-injection tests starve Swift's cooperative thread pool and push those
## past their time bounds; serial costs a few seconds and makes timings trustworthy.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel
