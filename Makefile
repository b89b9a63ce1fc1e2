# The two commands the README promises. Both install what they need first.
SWIFT ?= swift

.PHONY: run test build deps test-aac

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


## Opt-in AAC decoding (package trait `AAC`, libfaad2 — GPL-2+; see Docs/Development.md).
## Installs libfaad-dev, builds with the trait in its own scratch folder (.build-aac, so the
## default .build stays warm and never links libfaad) and runs the suites that decode or
## describe AAC. Not part of `make test`.
AAC_SUITES = MP4AudioSourceTests|MP4AudioSourceRobustnessTests|AACMergeCommandTests|VideoContainerDispatchTests|MP4ProbeTests|MP4PacketReaderTests|MP4RobustnessTests
test-aac:
	@scripts/install-deps.sh --aac
	$(SWIFT) build --scratch-path .build-aac --traits AAC --build-tests
	$(SWIFT) test --scratch-path .build-aac --traits AAC --skip-build --no-parallel --filter '$(AAC_SUITES)'
