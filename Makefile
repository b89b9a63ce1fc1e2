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

## The whole test suite.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
