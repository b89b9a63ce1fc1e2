#!/usr/bin/env bash
# Where the CPU time of one `callprep merge` goes, by library, and the wall-time floor that the
# work callprep cannot skip puts under it on this machine's cores, next to the ffmpeg recipe's
# wall time for the same job (the benchmark target is a ratio to it).
#
# "Cannot skip": decoding the inputs (callprep's FLAC decoder, libFLAC, libmpg123), encoding the
# output with libFLAC, resampling with libsoxr at HQ (when the rates differ), the STREAMINFO MD5
# of the output samples and the SHA-256 of inputs and output for the manifest (BoringSSL).
# Everything else (reading, converting, dither, metering, copying, writing, thread hand-offs) is
# reported as "callprep's own".
#
# Usage: scripts/bench-floor.sh [--format flac|wav|mp3] [--rate 16000|48000] [--repeat N]
# Needs perf (apt-get install linux-perf) and the inputs of scripts/bench.sh (made if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

format=flac
rate=16000
repeat=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --format) format="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in perf ffmpeg python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-floor: $tool is missing (perf: apt-get install linux-perf)" >&2; exit 1; }
done

scripts/bench.sh --inputs-only --no-opus >/dev/null
work=bench-work
a="$work/agent-60m.$format"
b="$work/customer-56m.$format"
source scripts/lib/release-binary.sh
callprep="$(release_binary "$work/build.log")"
cores=$(nproc)

wall_of() { # command... → wall seconds
  /usr/bin/time -f "%e" -o "$work/floor-time.log" "$@" >/dev/null 2>&1
  cat "$work/floor-time.log"
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

whole=$((60 * 60 * 48000))
ff=()
cp=()
for ((run = 0; run < repeat; run++)); do
  ff+=("$(wall_of ffmpeg -v error -y -i "$a" -i "$b" -filter_complex \
    "[0:a]apad=whole_len=$whole[a0];[1:a]apad=whole_len=$whole[a1];[a0][a1]amerge=inputs=2[a]" \
    -map "[a]" -sample_fmt s16 -ar "$rate" -c:a flac "$work/floor-ffmpeg.flac")")
  cp+=("$(wall_of "$callprep" merge "$a" "$b" -o "$work/floor-callprep.flac" --sample-rate "$rate" --force --quiet)")
done
ff_wall=$(median "${ff[@]}")
cp_wall=$(median "${cp[@]}")

# One profiled run: 999 samples per second of CPU time on every thread.
perf record -q -F 999 -o "$work/floor.perf" "$callprep" merge "$a" "$b" -o "$work/floor-callprep.flac" \
  --sample-rate "$rate" --force --quiet >/dev/null 2>&1
perf report -i "$work/floor.perf" --no-children --sort pid,dso,sym -g none -F overhead,sample,pid,dso,sym \
  --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' > "$work/floor-report.txt"

python3 - "$work/floor-report.txt" "$ff_wall" "$cp_wall" "$cores" "$format" "$rate" "$repeat" <<'EOF'
import collections, re, sys
report, ff_wall, cp_wall, cores, fmt, rate, repeat = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
rows = []
for line in open(report):
    m = re.match(r'\s*[0-9.]+%\s+(\d+)\s+(\d+):\S*\s+(\S+)\s+\[[.k]\]\s+(.*)$', line)
    if m:
        rows.append((int(m.group(1)), int(m.group(2)), m.group(3), m.group(4).strip()))
hz = 999.0
encoder_threads = {tid for n, tid, dso, sym in rows if 'stream_encoder' in sym}
parts = collections.Counter()
for n, tid, dso, sym in rows:
    if dso.startswith('libFLAC'):
        parts['libFLAC encode' if tid in encoder_threads else 'libFLAC decode'] += n
    elif re.search(r'callprep_flac_|restore_lanes|interleave|NativeFLAC|FLACResidual|FLACSubframe|FLACFrameHeader|FLACPrediction|FLACBitReader', sym):
        parts["FLAC decode (callprep's decoder)"] += n
    elif dso.startswith('libsoxr'):
        parts['libsoxr resample'] += n
    elif dso.startswith('libmpg123'):
        parts['libmpg123 decode'] += n
    elif 'md5' in sym.lower():
        parts['MD5 of the output samples'] += n
    elif 'sha256' in sym.lower():
        parts['SHA-256 of inputs and output'] += n
    elif dso == '[kernel.kallsyms]':
        parts["kernel (reads, writes, scheduling)"] += n
    else:
        parts["callprep's own (convert, dither, meter, copy)"] += n
total = sum(parts.values()) / hz
fixed_keys = [k for k in parts if k.startswith(('libFLAC', 'FLAC decode', 'libsoxr', 'libmpg123', 'MD5', 'SHA'))]
fixed = sum(parts[k] for k in fixed_keys) / hz
print(f"## {fmt} inputs → {rate} Hz: where the CPU goes ({cores} cores)\n")
print("| part | CPU s | share |")
print("|---|---|---|")
for key, n in parts.most_common():
    print(f"| {key} | {n / hz:.2f} | {100 * n / hz / total:.0f} % |")
print(f"| **total** | **{total:.2f}** | |\n")
print(f"- ffmpeg recipe, median of {repeat}: {ff_wall:.2f} s wall; callprep: {cp_wall:.2f} s wall ({cp_wall / ff_wall:.2f}×).")
print(f"- The parts callprep cannot skip (libraries and hashes) take {fixed:.2f} s of CPU: on {cores} cores, even with "
      f"every core busy all the time and nothing else to do, no less than {fixed / cores:.2f} s of wall time "
      f"({fixed / cores / ff_wall:.2f}× ffmpeg).")
print(f"- With callprep's own work as measured, the floor at full use of {cores} cores is {total / cores:.2f} s "
      f"({total / cores / ff_wall:.2f}× ffmpeg).")
EOF
