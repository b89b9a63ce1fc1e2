#!/usr/bin/env bash
# Benchmark (not a test): probe latency for 60-minute files, callprep vs ffprobe vs mediainfo,
# on the same inputs in the same run. Also prints the length each tool reports, because a fast
# wrong answer is no answer (ffprobe and mediainfo estimate headerless VBR MP3 lengths).
# Usage: scripts/bench-probe.sh [RUNS]   (inputs are generated into bench-work/, not committed)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
scripts/install-deps.sh --bench
work=bench-work/probe
mkdir -p "$work"

source scripts/lib/release-binary.sh
callprep="$(release_binary "$work/build.log")"

# 60 minutes of speech-like signal: pink noise with a syllable-rate amplitude envelope, 16 kHz mono.
if [[ ! -f "$work/60min.wav" ]]; then
  echo "generating 60-minute inputs (once)…" >&2
  sox -q -n -r 16000 -c 1 -b 16 "$work/60min.wav" synth 3600 pinknoise synth 3600 sine amod 4 gain -12
  flac -s -f -5 -o "$work/60min.flac" "$work/60min.wav"
  lame --quiet -V 5 "$work/60min.wav" "$work/60min-xing.mp3"
  lame --quiet -t -V 5 "$work/60min.wav" "$work/60min-noxing.mp3"
fi

# Median wall time in milliseconds of RUNS invocations of a command.
median_ms() {
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

echo "| file | size | callprep ms | ffprobe ms | mediainfo ms | callprep frames | ffprobe duration s | mediainfo duration ms | exact frames (ffmpeg decode) |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in 60min.wav 60min.flac 60min-xing.mp3 60min-noxing.mp3; do
  p="$work/$f"
  size=$(du -h "$p" | cut -f1)
  c=$(median_ms "$callprep" probe --json "$p")
  fp=$(median_ms ffprobe -v error -show_format -show_streams "$p")
  mi=$(median_ms mediainfo "$p")
  frames=$("$callprep" probe --json "$p" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["frames"])')
  fdur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$p")
  mdur=$(mediainfo --Inform='Audio;%Duration%' "$p")
  exact=$(( $(ffmpeg -v error -i "$p" -f s16le -ac 1 - | wc -c) / 2 ))
  echo "| $f | $size | $c | $fp | $mi | $frames | $fdur | $mdur | $exact |"
done
