#!/usr/bin/env bash
# Benchmark (not a test): native Matroska/WebM Opus handling on 60-minute Twilio-like tracks,
# against ffmpeg on the same inputs in the same run.
#   probe:  callprep probe (exact length from every block's timestamp) vs ffprobe (header only)
#   decode: callprep validate (probe + timestamp-true decode of every block + signal statistics)
#           vs ffmpeg decoding the same file to nothing, with its native Opus decoder and with
#           libopus (the decoder callprep uses). Wall time (median of RUNS) and peak RSS.
# Inputs: 48 kHz Opus at 32 kbit/s declared stereo (as Twilio records a mono mic), once without
# gaps and once with a 500 ms timestamp gap every 30 s. Generated into bench-work/video/.
# Usage: scripts/bench-video.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
scripts/install-deps.sh --bench
work=bench-work/video
mkdir -p "$work"

swift build -c release --product callprep >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
callprep="$(swift build -c release --show-bin-path)/callprep"

ff=(ffmpeg -hide_banner -loglevel error -y)
if [[ ! -f "$work/60min.webm" ]]; then
  echo "generating 60-minute inputs (once)…" >&2
  "${ff[@]}" -f lavfi -i "sine=f=220:d=3600:r=48000" -f lavfi -i "anoisesrc=d=3600:a=0.05:r=48000:seed=3:c=pink" \
    -filter_complex "[0][1]amix=inputs=2:normalize=0,volume=0.5" -ac 2 -c:a libopus -b:a 32k "$work/60min.webm"
  "${ff[@]}" -i "$work/60min.webm" -c copy -bsf:a 'setts=ts=TS+floor(N/1500)*500' "$work/60min-gaps.webm"
fi

# Median wall time (ms) of RUNS invocations; peak RSS (KiB) of the last one.
measure() {
  local times=() rss
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  rss=$(tail -1 "$work/rss")
  printf '%s\n' "${times[@]}" | sort -n | awk -v rss="$rss" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f ms / %.0f MiB", m/1000, rss/1024}'
}

echo "| file | size | callprep probe | ffprobe | callprep validate (decode) | ffmpeg decode (native opus) | ffmpeg decode (libopus) | callprep frames | ffmpeg frames (libopus, back to back) |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in 60min.webm 60min-gaps.webm; do
  p="$work/$f"
  size=$(du -h "$p" | cut -f1)
  probe=$(measure "$callprep" probe --json "$p")
  ffprobe_t=$(measure ffprobe -v error -show_format -show_streams "$p")
  decode=$(measure "$callprep" validate --json "$p")
  ffnative=$(measure ffmpeg -v error -i "$p" -f null -)
  fflibopus=$(measure ffmpeg -v error -c:a libopus -i "$p" -f null -)
  frames=$("$callprep" probe --json "$p" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["frames"])')
  ffframes=$(( $(ffmpeg -v error -c:a libopus -i "$p" -ac 1 -f s16le - | wc -c) / 2 ))
  echo "| $f | $size | $probe | $ffprobe_t | $decode | $ffnative | $fflibopus | $frames | $ffframes |"
done
