#!/usr/bin/env bash
# scripts/fuzz-seeds.sh TARGET FOLDER: writes the seed corpus of one fuzz target (scripts/fuzz.sh)
# into FOLDER, from TestAudio plus a few tiny files sox, flac and ffmpeg generate here.
# Seeds are cut to 64 KiB: the fuzzer mutates the structure (headers, tables, the first
# frames), and a short input runs many times faster. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 2 ]] || { echo "usage: scripts/fuzz-seeds.sh TARGET FOLDER" >&2; exit 2; }
target=$1 out=$2
mkdir -p "$out"
gen=$(mktemp -d); trap 'rm -rf "$gen"' EXIT

seed() {  # seed FILE...: copies each file's first 64 KiB into the corpus
  for f in "$@"; do [[ -s $f ]] && head -c 65536 "$f" >"$out/$(basename "$f")"; done
  return 0
}
ff() { ffmpeg -v error -y -f lavfi -i "sine=frequency=440:sample_rate=${RATE:-8000}:duration=${SECS:-0.2}" "$@"; }

case $target in
  FuzzProbeWAV)
    seed TestAudio/formats/*.wav TestAudio/formats/*.aiff TestAudio/formats/*.w64 TestAudio/edge/*.wav
    rm -f "$out/mp3-named.wav"
    sox -n -r 8000 -c 1 -b 16 "$gen/tiny.au" synth 0.05 sine 440
    sox -n -r 8000 -c 2 -b 16 "$gen/tiny.caf" synth 0.05 sine 440
    sox -n -r 8000 -c 1 -b 8 -e mu-law "$gen/tiny-ulaw.wav" synth 0.05 sine 440
    seed "$gen"/* ;;
  FuzzProbeFLAC|FuzzDecodeFLAC)
    seed TestAudio/formats/*.flac TestAudio/edge/*.flac
    sox -n -r 8000 -c 1 -b 16 "$gen/mono.wav" synth 0.2 sine 440
    sox -n -r 16000 -c 2 -b 24 "$gen/stereo24.wav" synth 0.1 sine 440 sine 660
    flac -s --blocksize=256 -o "$gen/mono-256.flac" "$gen/mono.wav"
    flac -s --blocksize=1152 --no-seektable -o "$gen/stereo24.flac" "$gen/stereo24.wav"
    RATE=48000 SECS=0.05 ff -ac 6 -c:a flac "$gen/six.flac"
    rm -f "$gen"/*.wav
    seed "$gen"/* ;;
  FuzzProbeMP3)
    seed TestAudio/formats/*.mp3 TestAudio/edge/*.mp3 TestAudio/edge/mp3-named.wav TestAudio/call/customer-noxing.mp3
    sox -n -r 8000 -c 1 "$gen/mono.wav" synth 0.3 sine 440
    lame --silent -V 5 "$gen/mono.wav" "$gen/vbr.mp3"
    lame --silent -t -b 32 "$gen/mono.wav" "$gen/noxing.mp3"
    # Free format (bitrate index 0: the frame length is the distance to the next header).
    lame --silent --freeformat -b 24 "$gen/mono.wav" "$gen/free.mp3"
    RATE=16000 ff -c:a mp2 -b:a 32k "$gen/layer2.mp2"
    # Layer I: no encoder here makes it; 20 silent frames (MPEG-1, 128 kbps, 44.1 kHz, mono:
    # header FF FF 40 C0, every bit allocation zero), and the same as free format (FF FF 00 C0).
    for i in $(seq 20); do printf '\xff\xff\x40\xc0'; head -c 132 /dev/zero; done >"$gen/layer1.mp1"
    for i in $(seq 20); do printf '\xff\xff\x00\xc0'; head -c 196 /dev/zero; done >"$gen/layer1-free.mp1"
    rm -f "$gen"/*.wav
    seed "$gen"/* ;;
  FuzzProbeOgg)
    seed TestAudio/formats/*.ogg TestAudio/formats/*.opus TestAudio/edge/*.ogg TestAudio/edge/*.opus
    RATE=48000 ff -c:a libopus -b:a 16k "$gen/tiny.opus"
    ff -c:a flac "$gen/flac-in.oga"
    seed "$gen"/* ;;
  FuzzProbeMatroska|FuzzDemuxMatroska)
    seed TestAudio/video/*.mka TestAudio/video/*.webm
    ff -c:a pcm_mulaw "$gen/pcmu.mka"
    RATE=48000 ff -c:a libopus -b:a 16k "$gen/opus.webm"
    seed "$gen"/* ;;
  FuzzProbeMP4|FuzzDemuxMP4)
    seed TestAudio/video/*.m4a TestAudio/video/*.mp4
    ff -c:a aac -b:a 16k "$gen/aac.m4a"
    ff -c:a aac -b:a 16k -movflags +frag_keyframe+empty_moov -frag_duration 50000 "$gen/fragmented.mp4"
    seed "$gen"/* ;;
  FuzzRecordings)
    sid() { printf 'RT%032d' "$1"; }
    pa() { printf 'PA%032d' "$1"; }
    item() {  # item N TYPE PARTICIPANT OFFSET
      printf '{"sid": "%s", "type": "%s", "codec": "opus", "container_format": "mka", "offset": %s, "track_name": "mic", "room_sid": "RM1", "grouping_sids": {"room_sid": "RM1", "participant_sid": "%s"}}' \
        "$(sid "$1")" "$2" "$4" "$(pa "$3")"
    }
    printf '{"recordings": [%s, %s], "meta": {"page": 0, "page_size": 50, "next_page_url": null}}\n' \
      "$(item 1 audio 1 10000)" "$(item 2 audio 2 12500)" >"$out/two-participants.json"
    printf '{"recordings": [%s, %s, %s, %s]}\n' \
      "$(item 1 audio 1 10000)" "$(item 2 video 1 10000)" "$(item 3 audio 2 0)" "$(item 4 audio 1 999999999)" >"$out/rooms-and-video.json"
    printf '{"recordings": []}\n' >"$out/empty.json" ;;
  *) echo "fuzz-seeds.sh: unknown target $target" >&2; exit 2 ;;
esac
echo "seeded $target: $(ls "$out" | wc -l) files in $out" >&2
