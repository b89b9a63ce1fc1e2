#!/usr/bin/env bash
# Benchmark (not a test): `callprep room` on a two-person 60-minute room (two ~29 MB Opus
# recordings at 64 kbit/s) served by the Twilio test server on loopback, against curl downloading
# the same two recordings (at once) and then `callprep merge --recordings`. RUNS runs of each (21,
# at most 41; about 34 s a run), alternating which goes first, release binary; every time, the
# medians and the run-by-run difference (mean with its 95% interval, sign and signed-rank tests) go to
# bench-work/room/result.txt (and stdout); then one recording's download alone, `callprep
# recording` against curl, into bench-work/room/download.txt.
# The two paths differ by about a tenth of a second in an 11 s CPU-bound merge whose own spread
# from run to run is ±0.5 s on a 2-core machine: it takes dozens of runs to tell them apart.
# Usage: scripts/bench-room.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --bench
work="$PWD/bench-work/room"
mkdir -p "$work"

ff=(ffmpeg -hide_banner -loglevel error -y)
if [[ ! -f "$work/alice.mka" || ! -f "$work/bob.mka" ]]; then
  echo "generating two 60-minute recordings (once)…" >&2
  "${ff[@]}" -f lavfi -i "sine=f=220:d=3600:r=48000" -f lavfi -i "anoisesrc=d=3600:a=0.05:r=48000:seed=3:c=pink" \
    -filter_complex "[0][1]amix=inputs=2:normalize=0,volume=0.5" -ac 1 -c:a libopus -b:a 64k "$work/alice.mka"
  "${ff[@]}" -f lavfi -i "sine=f=330:d=3600:r=48000" -f lavfi -i "anoisesrc=d=3600:a=0.05:r=48000:seed=4:c=brown" \
    -filter_complex "[0][1]amix=inputs=2:normalize=0,volume=0.5" -ac 1 -c:a libopus -b:a 64k "$work/bob.mka"
fi

swift build -c release --product callprep >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
binary="$(swift build -c release --show-bin-path)/callprep"
swift build --build-tests >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
rm -f "$work/result.txt" "$work/download.txt"
CALLPREP_BENCH_ROOM="$work" CALLPREP_BENCH_BINARY="$binary" CALLPREP_BENCH_REPEAT="${1:-21}" swift test --skip-build --no-parallel --filter RoomBenchmarkTests
cat "$work/result.txt" "$work/download.txt"
