#!/usr/bin/env bash
# scripts/fuzz.sh TARGET [SECONDS]   run one libFuzzer target (Fuzz/Package.swift) for SECONDS (60)
# scripts/fuzz.sh all [SECONDS]      run every target in turn (what `make fuzz` does)
# scripts/fuzz.sh --list             print the targets
# scripts/fuzz.sh --build            only build them
#
# Builds the targets once with libFuzzer and AddressSanitizer in their own scratch folder
# (.build-fuzz, so the default .build stays warm), seeds each target's corpus from TestAudio
# (scripts/fuzz-seeds.sh) the first time, and runs it with -max_total_time. The corpus grows in
# fuzz-work/corpus/TARGET (git-ignored); crashes, leaks and timeouts are kept in
# fuzz-work/crashes/TARGET/ (crash-…, leak-…, timeout-…), each reproducible with
#   .build-fuzz/debug/TARGET fuzz-work/crashes/TARGET/crash-…
# Prints each run's executions per second and exits 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SCRATCH=.build-fuzz
WORK=fuzz-work
TARGETS=(FuzzProbeWAV FuzzProbeFLAC FuzzProbeMP3 FuzzProbeOgg FuzzProbeMatroska FuzzProbeMP4
         FuzzDemuxMatroska FuzzDemuxMP4 FuzzDecodeFLAC FuzzRecordings)

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

# The SanitizerCoverage libFuzzer steers by. SwiftPM hands swiftc --sanitize=fuzzer and
# --sanitize=address as two separate -sanitize= flags, and swiftc keeps only the last one, so the
# Swift objects came out with AddressSanitizer but without coverage (libFuzzer then printed no
# cov: and fuzzed blind). Asking for the coverage libFuzzer's -sanitize=fuzzer implies, by name,
# puts it back whatever the sanitizer flags do. C targets get it from clang's -fsanitize=fuzzer.
SWIFT_COVERAGE=-sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp

build() {
  "$SWIFT" build --package-path Fuzz --scratch-path "$SCRATCH" --sanitize=fuzzer --sanitize=address \
    -Xswiftc "$SWIFT_COVERAGE" >&2
  check_coverage
}

# Fails loudly when a reader's object file carries no coverage counters (__sancov_cntrs): a
# fuzz run over uninstrumented code reports clean without having steered anywhere.
check_coverage() {
  local objects=("$SCRATCH"/debug/AudioPrep.build/MP3FrameParser.swift.o
                 "$SCRATCH"/debug/AudioPrep.build/SndFileReader.swift.o
                 "$SCRATCH"/debug/CAudioKernels.build/FLACKernels.c.o)
  local object
  for object in "${objects[@]}"; do
    if [[ ! -f $object ]]; then
      echo "fuzz.sh: $object was not built; cannot check its coverage instrumentation" >&2; exit 1
    fi
    # grep -c reads all of objdump's output (grep -q would stop early, and pipefail would then
    # count objdump's SIGPIPE as a missing section).
    local sections; sections=$(objdump -h "$object" | grep -c __sancov_cntrs || true)
    if [[ ${sections:-0} -eq 0 ]]; then
      echo "fuzz.sh: $object has no SanitizerCoverage counters (__sancov_cntrs): libFuzzer would fuzz it blind" >&2
      exit 1
    fi
  done
}

run_one() {
  local target=$1 seconds=$2
  local corpus=$WORK/corpus/$target crashes=$WORK/crashes/$target log=$WORK/logs/$target.log
  [[ -d $corpus ]] || scripts/fuzz-seeds.sh "$target" "$corpus"
  mkdir -p "$crashes" "$(dirname "$log")"
  local tmp; tmp=$(mktemp -d)
  local status=0
  # -rss_limit_mb: a reader must never allocate from a size field, so 2 GB is a finding.
  # -timeout: one input taking 10 s is a finding (a header that makes a reader loop).
  # SWIFT_BACKTRACE=enable=no: a Swift trap (a failed precondition: the length contract) is
  # left to libFuzzer as a deadly signal; the Swift backtracer's helper would otherwise read
  # memory ASan reports as an "unknown-crash" of its own, hiding the real message.
  SWIFT_BACKTRACE=enable=no TMPDIR=$tmp "$SCRATCH/debug/$target" "$corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
    -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  rm -rf "$tmp"
  local execs per_second units
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(ls "$corpus" | wc -l)
  if [[ $status -eq 0 ]]; then
    printf '%-18s clean  %5ss  %9s execs  %6s execs/s  corpus %s\n' "$target" "$seconds" "${execs:-?}" "${per_second:-?}" "$units"
  else
    printf '%-18s FOUND  (exit %s) see %s and %s\n' "$target" "$status" "$crashes" "$log"
    grep -m3 -E 'ERROR: |Fatal error|Precondition failed|SUMMARY' "$log" | sed 's/^/    /' || true
  fi
  return $status
}

[[ $# -ge 1 ]] || usage
case $1 in
  --list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
  --build) build; exit 0 ;;
  -h|--help) usage ;;
esac
target=$1 seconds=${2:-60}
[[ $seconds =~ ^[0-9]+$ ]] || usage
if [[ $target == all ]]; then selected=("${TARGETS[@]}")
elif printf '%s\n' "${TARGETS[@]}" | grep -qx "$target"; then selected=("$target")
else echo "fuzz.sh: unknown target $target (scripts/fuzz.sh --list)" >&2; exit 2; fi

build
failed=0
for t in "${selected[@]}"; do run_one "$t" "$seconds" || failed=1; done
exit $failed
