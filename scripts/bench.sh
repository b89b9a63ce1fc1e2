#!/usr/bin/env bash
# Benchmark: `callprep merge` against the documented ffmpeg recipe (fixed to be correct:
# 16-bit, same rate, padded, nobody truncated) and `sox -M`, on a 60-minute and a 56-minute
# speech-like 48 kHz mono 16-bit track, at 48 kHz and 16 kHz output, from WAV, FLAC and MP3.
# Inputs are generated into bench-work/ (git-ignored). Figures: wall and CPU seconds and peak
# RSS from /usr/bin/time -v, output size, and the ratio of wall time to ffmpeg's.
#
# Usage: scripts/bench.sh [--formats "wav flac mp3"] [--rates "48000 16000"] [--minutes "60 56"]
#                         [--repeat N] [--no-sox] [--inputs-only] [--opus-only] [--no-opus]
#                         [--before BINARY]
#
# --before BINARY also runs an earlier callprep build (e.g. a release build of an older commit in
# its own worktree) in the same rotation (ffmpeg, callprep, before, ffmpeg, …), as the row
# "callprep before", so a change's effect is measured before/after in one run.
#
# --repeat N runs ffmpeg and callprep N times each, alternating (ffmpeg, callprep, ffmpeg, …) so
# that drift of the machine's speed hits both alike, and reports for each the run with the
# median wall time; the ratio is the ratio of the two medians. (sox runs once.)
#
# The Opus part: the two tracks encoded as 48 kHz Opus in WebM the way Twilio track recordings
# look (customer joins 4.2 s after the room started; the agent's file has DTX-like timestamp
# gaps of 2 s every ~5 minutes), merged to 16 kHz dual-channel FLAC on the room timeline by
# `callprep merge --timeline room` and by ffmpeg doing the same job correctly (libopus decoder,
# aresample=async=1:first_pts=0 to honour start times and gaps, padded to the longer end).
set -euo pipefail
cd "$(dirname "$0")/.."

formats="wav flac mp3"
rates="48000 16000"
minutes_a=60
minutes_b=56
inputs_only=0
before=""
repeat=1
with_sox=1
opus=1
only_opus=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --formats) formats="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --minutes) minutes_a="${2% *}"; minutes_b="${2#* }"; shift 2 ;;
    --inputs-only) inputs_only=1; shift ;;
    --repeat) repeat="$2"; shift 2 ;;
    --no-sox) with_sox=0; shift ;;
    --opus-only) only_opus=1; shift ;;
    --no-opus) opus=0; shift ;;
    --before) before="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in ffmpeg sox flac espeak-ng /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing; run scripts/install-deps.sh --bench" >&2; exit 1; }
done

work=bench-work
mkdir -p "$work"

# --- Inputs: speech from espeak-ng, looped to length, over a quiet noise floor (no digital
# silence, as in a real microphone track). Deterministic: sox's noise uses a fixed seed (-R).
make_track() { # name voice minutes noise_skip text
  local name="$1" voice="$2" minutes="$3" skip="$4" text="$5"
  local out="$work/$name-${minutes}m.wav"
  [[ -f "$out" ]] && return
  espeak-ng -v "$voice" -s 165 -w "$work/$name-speech.wav" "$text"
  local seconds=$((minutes * 60))
  sox -R "$work/$name-speech.wav" -r 48000 -b 16 "$work/$name-speech48.wav" rate -h pad 0 1.3
  local loop_len
  loop_len=$(soxi -D "$work/$name-speech48.wav")
  local repeats
  repeats=$(awk -v s="$seconds" -v l="$loop_len" 'BEGIN { r = int(s / l); if (r * l < s) r++; print r }')
  sox -R "$work/$name-speech48.wav" "$work/$name-loop.wav" repeat "$repeats" trim 0 "$seconds"
  # sox -R repeats the same noise sequence: skip into it by a different amount per track so
  # the two noise floors are not sample-aligned copies (which FLAC's mid/side would exploit).
  sox -R -n -r 48000 -b 16 -c 1 "$work/$name-noise.wav" synth "$((seconds + skip))" pinknoise vol 0.003 trim "$skip"
  sox -R -m "$work/$name-loop.wav" "$work/$name-noise.wav" -b 16 "$out"
  rm -f "$work/$name-speech.wav" "$work/$name-speech48.wav" "$work/$name-loop.wav" "$work/$name-noise.wav"
}
text_a="Thank you for calling the support line. My name is Alice and I will be helping you today. \
Could you please tell me the account number and the name on the account? I can see the order was \
shipped on Monday, and it should arrive within three to five business days. Is there anything else \
I can help you with? Let me check that for you, it will only take a moment. I understand this is \
frustrating, and I am sorry for the inconvenience. I have issued a refund of twenty four dollars."
text_b="Hi, yes, I ordered a pair of headphones two weeks ago and they still have not arrived. \
The account number is four seven one nine two. The name is Bob Customer. Okay, that sounds fine, \
but the tracking page has not changed since last Tuesday. Could you send me a confirmation email? \
No, I think that is everything. Thanks a lot for your help, have a nice day. Actually, one more \
question about the warranty. Does it cover the battery, or only the speakers and the cable?"
make_track agent en-us "$minutes_a" 0 "$text_a"
make_track customer en-gb "$minutes_b" 7 "$text_b"
a_wav="$work/agent-${minutes_a}m.wav"
b_wav="$work/customer-${minutes_b}m.wav"
for f in "$a_wav" "$b_wav"; do
  base="${f%.wav}"
  [[ -f "$base.flac" ]] || flac -s -5 -f -o "$base.flac" "$f"
  [[ -f "$base.mp3" ]] || ffmpeg -v error -y -i "$f" -c:a libmp3lame -b:a 64k "$base.mp3"
done

# Opus/WebM inputs (timestamps in ms, as Twilio writes them): the agent from 0 with a 2 s gap
# after every 15 000 packets (5 min of 20 ms packets), the customer from 4.2 s.
a_webm="$work/agent-${minutes_a}m.webm"
b_webm="$work/customer-${minutes_b}m.webm"
if [[ "$opus" == 1 ]]; then
  if [[ ! -f "$a_webm" ]]; then
    ffmpeg -v error -y -i "$a_wav" -c:a libopus -b:a 32k "$work/agent-plain.webm"
    ffmpeg -v error -y -i "$work/agent-plain.webm" -c copy -bsf:a "setts=ts=TS+2000*floor(N/15000)" "$a_webm"
    rm -f "$work/agent-plain.webm"
  fi
  if [[ ! -f "$b_webm" ]]; then
    ffmpeg -v error -y -i "$b_wav" -c:a libopus -b:a 32k "$work/customer-plain.webm"
    ffmpeg -v error -y -i "$work/customer-plain.webm" -c copy -bsf:a "setts=ts=TS+4200" "$b_webm"
    rm -f "$work/customer-plain.webm"
  fi
fi

[[ "$inputs_only" == 1 ]] && exit 0
# The release build of `make release`: static Swift runtime, position-dependent executable.
source scripts/lib/release-binary.sh
callprep="$(release_binary "$work/build.log")"
if [[ -n "$before" && ! -x "$before" ]]; then
  echo "bench: --before $before is not an executable" >&2; exit 2
fi

# --- One measured run: prints "wall cpu rss_kb".
measure() { # label output command...
  local log="$work/time.log"
  shift 2
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$work/stderr.log" || { cat "$work/stderr.log" >&2; return 1; }
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  user=$(awk -F': ' '/User time/ {print $2}' "$log")
  sys=$(awk -F': ' '/System time/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $rss"
}

# --- The run with the median wall time among "wall cpu rss" lines (the lower middle one for an
# even count).
median_run() {
  printf '%s\n' "$@" | sort -n -k1,1 | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

printf '| input | rate | tool | wall s | CPU s | peak RSS MB | output bytes | wall ÷ ffmpeg |\n'
printf '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n'
[[ "$only_opus" == 1 ]] && formats=""
for format in $formats; do
  a="${a_wav%.wav}.$format"
  b="${b_wav%.wav}.$format"
  for rate in $rates; do
    out_ff="$work/ffmpeg-$format-$rate.flac"
    out_cp="$work/callprep-$format-$rate.flac"
    out_sox="$work/sox-$format-$rate.flac"
    # The documented recipe, fixed: both inputs padded to the longer (apad whole_len), merged,
    # 16-bit (-sample_fmt s16), at the requested rate.
    whole=$(( (minutes_a > minutes_b ? minutes_a : minutes_b) * 60 * 48000 ))
    out_before="$work/before-$format-$rate.flac"
    ff_runs=()
    cp_runs=()
    before_runs=()
    for ((run = 0; run < repeat; run++)); do
      ff_runs+=("$(measure ffmpeg "$out_ff" ffmpeg -v error -y -i "$a" -i "$b" -filter_complex \
        "[0:a]apad=whole_len=$whole[a0];[1:a]apad=whole_len=$whole[a1];[a0][a1]amerge=inputs=2[a]" \
        -map "[a]" -sample_fmt s16 -ar "$rate" -c:a flac "$out_ff")")
      cp_runs+=("$(measure callprep "$out_cp" "$callprep" merge "$a" "$b" -o "$out_cp" --sample-rate "$rate" --force --quiet)")
      if [[ -n "$before" ]]; then
        before_runs+=("$(measure before "$out_before" "$before" merge "$a" "$b" -o "$out_before" --sample-rate "$rate" --force --quiet)")
      fi
    done
    ff=$(median_run "${ff_runs[@]}")
    cp=$(median_run "${cp_runs[@]}")
    bf=""
    [[ -n "$before" ]] && bf=$(median_run "${before_runs[@]}")
    sx=""
    if [[ "$with_sox" == 1 ]] && { [[ "$format" != "mp3" ]] || sox -h 2>&1 | grep -q "mp3"; }; then
      sx=$(measure sox "$out_sox" sox -M "$a" "$b" -b 16 "$out_sox" rate -h "$rate" 2>/dev/null || true)
    fi
    ff_wall=${ff%% *}
    for row in "ffmpeg|$ff|$out_ff" "callprep|$cp|$out_cp" "callprep before|$bf|$out_before" "sox -M|$sx|$out_sox"; do
      IFS='|' read -r tool figures out <<<"$row"
      [[ -z "$figures" ]] && continue
      read -r wall cpu rss <<<"$figures"
      size=$(stat -c %s "$out")
      ratio=$(awk -v w="$wall" -v f="$ff_wall" 'BEGIN { printf "%.2f", w / f }')
      printf '| %s | %s | %s | %.2f | %.2f | %.1f | %d | %s |\n' "$format" "$rate" "$tool" "$wall" "$cpu" \
        "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$size" "$ratio"
    done
  done
done

# --- Opus WebM pair → 16 kHz dual-channel FLAC on the room timeline.
if [[ "$opus" == 1 ]]; then
  out_ff="$work/ffmpeg-opus-16000.flac"
  out_cp="$work/callprep-opus-16000.flac"
  # Room-timeline end of the longer track: WebM's Duration counts from 0 on the file's timeline.
  end_of() { ffprobe -v error -i "$1" -show_entries format=duration -of csv=p=0; }
  total=$(awk -v a="$(end_of "$a_webm")" -v b="$(end_of "$b_webm")" 'BEGIN { printf "%.6f", (a > b ? a : b) }')
  # -copyts keeps each file's own timestamps (without it ffmpeg shifts every input to start at
  # 0, and the customer's 4.2 s join is lost); first_pts=0 then pads from the room start.
  ff=$(measure ffmpeg "$out_ff" ffmpeg -v error -y -copyts -c:a libopus -i "$a_webm" -c:a libopus -i "$b_webm" -filter_complex \
    "[0:a]aresample=async=1:first_pts=0,pan=mono|c0=c0,apad[a0];[1:a]aresample=async=1:first_pts=0,pan=mono|c0=c0,apad[a1];[a0][a1]amerge=inputs=2,aresample=16000:resampler=soxr[a]" \
    -map "[a]" -t "$total" -sample_fmt s16 -c:a flac "$out_ff")
  cp=$(measure callprep "$out_cp" "$callprep" merge "$a_webm" "$b_webm" -o "$out_cp" --timeline room --sample-rate 16000 --force --quiet)
  out_before="$work/before-opus-16000.flac"
  bf=""
  if [[ -n "$before" ]]; then
    bf=$(measure before "$out_before" "$before" merge "$a_webm" "$b_webm" -o "$out_before" --timeline room --sample-rate 16000 --force --quiet)
  fi
  ff_wall=${ff%% *}
  for row in "ffmpeg|$ff|$out_ff" "callprep|$cp|$out_cp" "callprep before|$bf|$out_before"; do
    IFS='|' read -r tool figures out <<<"$row"
    [[ -z "$figures" ]] && continue
    read -r wall cpu rss <<<"$figures"
    size=$(stat -c %s "$out")
    ratio=$(awk -v w="$wall" -v f="$ff_wall" 'BEGIN { printf "%.2f", w / f }')
    printf '| opus webm | 16000 | %s | %.2f | %.2f | %.1f | %d | %s |\n' "$tool" "$wall" "$cpu" \
      "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$size" "$ratio"
  done
  echo
  echo "opus: ffmpeg output $(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 "$out_ff") frames, callprep $(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 "$out_cp") frames"
fi

# Size reference: flac -5 on the same PCM as callprep's 48 kHz output.
if [[ " $formats " == *" wav "* && " $rates " == *" 48000 "* ]]; then
  flac -s -d -f -o "$work/ref.wav" "$work/callprep-wav-48000.flac"
  flac -s -5 -f -o "$work/ref-5.flac" "$work/ref.wav"
  echo
  echo "flac -5 on callprep's 48 kHz PCM: $(stat -c %s "$work/ref-5.flac") bytes; callprep: $(stat -c %s "$work/callprep-wav-48000.flac") bytes"
  rm -f "$work/ref.wav"
fi
