#!/usr/bin/env bash
# Benchmark (not a test) of `callprep jobs` (issue #14). Run each part on its own under the
# exclusive bench lock, e.g. `flock -x /work/bench.lock scripts/bench-jobs.sh store`:
#   store     the store time per job (200 jobs, no-op steps) and claims per second with N = 1, 2,
#             4, 8 workers, on SQLite and PostgreSQL (JobStoreBenchmarkTests)
#   loop-sqlite, loop-postgres
#             200 jobs of two 2-second tracks (merge, upload to moto, submit, wait, sentences)
#             by `jobs add` + `jobs run --until-done` against a bash loop of single commands
#             (JobsBenchmarkTests), release binary
#   workers   8 jobs of two 60-minute tracks, `jobs run --workers 1` against `--workers 2`, and
#             the CPU use of one `callprep merge` (/usr/bin/time -v), release binary
# Inputs are generated once (ffmpeg) in bench-work/jobs/; the figures go to
# bench-work/jobs/*.txt (and stdout) with the load average before and after.
# Usage: scripts/bench-jobs.sh store|loop-sqlite|loop-postgres|workers
set -euo pipefail
cd "$(dirname "$0")/.."
part="${1:?usage: scripts/bench-jobs.sh store|loop-sqlite|loop-postgres|workers}"
work="$PWD/bench-work/jobs"
mkdir -p "$work"
command -v ffmpeg >/dev/null || { echo "ffmpeg is needed to make the inputs (scripts/install-deps.sh --bench)" >&2; exit 1; }

ff=(ffmpeg -hide_banner -loglevel error -y)
track() { # NAME SECONDS FREQUENCY SEED: a mono 48 kHz 16-bit WAV of a tone over pink noise
  [[ -f "$work/$1.wav" ]] && return
  "${ff[@]}" -f lavfi -i "sine=f=$3:d=$2:r=48000" -f lavfi -i "anoisesrc=d=$2:a=0.05:r=48000:seed=$4:c=pink" \
    -filter_complex "[0][1]amix=inputs=2:normalize=0,volume=0.5" -ac 1 -c:a pcm_s16le "$work/$1.wav"
}
track agent-2s 2 220 3
track customer-2s 2 330 4
if [[ "$part" == workers ]]; then
  track agent-60m 3600 220 3
  track customer-60m 3600 330 4
fi

swift build -c release --product callprep >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 1; }
binary="$(swift build -c release --show-bin-path)/callprep"
swift build --build-tests >>"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 1; }

echo "uptime before: $(uptime)" >&2
case "$part" in
  store) filter='JobStoreBenchmarkTests' ;;
  loop-sqlite) filter='JobsBenchmarkTests/jobsAgainstALoopOnSQLite' ;;
  loop-postgres) filter='JobsBenchmarkTests/jobsAgainstALoopOnPostgreSQL' ;;
  workers) filter='JobsBenchmarkTests/twoWorkersAgainstOne' ;;
  *) echo "unknown part '$part'" >&2; exit 2 ;;
esac
CALLPREP_BENCH_JOBS="$work" CALLPREP_BENCH_BINARY="$binary" swift test --skip-build --no-parallel --filter "$filter"
echo "uptime after: $(uptime)" >&2
