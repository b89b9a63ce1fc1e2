# The two commands the README promises. Both install what they need first.
SWIFT ?= swift

.PHONY: run test build deps test-aac release fuzz

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

## The command-line tool as shipped and benchmarked (Docs/Benchmarks.md): Swift runtime linked
## statically (the shared runtime, Foundation and ICU, costs ~11 MB of RSS) into a
## position-dependent executable (a PIE of this size writes ~119k relocated pointers at every
## start: 4–6 MB more peak RSS; shared libraries, heap and stack stay randomized).
## What ships is a stripped copy in .build/dist (symbols are half the file); the build folder's
## binary keeps its symbols for perf and scripts/bench*.sh. The last line printed is the path.
RELEASE_FLAGS = -c release --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie
release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product callprep
	@mkdir -p .build/dist
	@strip -o .build/dist/callprep.tmp "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/callprep"
	@mv -f .build/dist/callprep.tmp .build/dist/callprep
	@echo "built $(CURDIR)/.build/dist/callprep"

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

## libFuzzer on every reader (Fuzz/Package.swift, scripts/fuzz.sh): builds the targets with
## libFuzzer and AddressSanitizer in .build-fuzz, then runs each for FUZZ_SECONDS (60); crashes
## are kept in fuzz-work/crashes/TARGET. Not part of `make test`: about 11 minutes.
FUZZ_SECONDS ?= 60
fuzz: deps
	SWIFT=$(SWIFT) scripts/fuzz.sh all $(FUZZ_SECONDS)
