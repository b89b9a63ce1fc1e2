#!/usr/bin/env bash
# Builds the small Twilio-Video-like fixtures under TestAudio/video/ with ffmpeg.
# Usage: scripts/make-video-fixtures.sh [OUTDIR]   (default: TestAudio/video)
#
# What each file models (see Docs and ../shared/reference/AUDIO-NOTES.md §1):
#   opus-gaps.mka   mono Opus 48 kHz, first sample at 1.564 s (a participant who joined after
#                   the room started), timestamp gaps of 500 ms and 1234 ms (mute/DTX/packet
#                   loss: missing timestamps, not silence samples). 3 s of audio → 4.734 s track.
#   opus-gaps.webm  the same timing in WebM, stereo (Twilio declares stereo for mono mics).
#   pcmu-gaps.mka   G.711 μ-law 8 kHz mono (a PSTN/SIP participant) in A_MS/ACM, first sample
#                   at 0.25 s, one 300 ms gap after the fifth 256 ms block.
#   pcma.mka        G.711 A-law 8 kHz mono, no gaps.
#   aac-edit.m4a    AAC-LC 48 kHz mono in MP4 with encoder priming hidden by an edit list.
#   aac-delayed.m4a the same packets behind an empty edit (a start delay); ffmpeg writes it as
#                   a 1478 ms empty edit plus a media edit from media time 0.
#   aac-fragmented.mp4
#                   the same packets as a fragmented MP4 (moof/traf/tfdt/trun, no edit list).
#   room-alice.mka, room-bob.mka
#                   two participants of one room: Alice's first sample at 1.564 s, Bob's at
#                   4.2 s (he joined later), both Opus as Twilio track recordings are.
# The files are deterministic for a given ffmpeg/libopus build (bitexact flags).
set -euo pipefail
out="${1:-TestAudio/video}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ff=(ffmpeg -hide_banner -loglevel error -y)
bitexact=(-fflags +bitexact -flags:a +bitexact)

# tone F SECONDS CHANNELS RATE OUT — a sine plus a little seeded noise (a deterministic "voice").
tone() {
  "${ff[@]}" -f lavfi -i "sine=f=$1:d=$2:r=$4" -f lavfi -i "anoisesrc=d=$2:a=0.03:r=$4:seed=7" \
    -filter_complex "[0][1]amix=inputs=2:normalize=0,volume=0.5" -ac "$3" -c:a pcm_s16le "$5"
}

opus_track() { # IN CHANNELS OUT
  "${ff[@]}" -i "$1" -ac "$2" -c:a libopus -b:a 24k "${bitexact[@]}" "$3"
}

# shift IN OUT BSF-EXPR — rewrites packet timestamps (in ms) without re-encoding.
shift_ts() {
  "${ff[@]}" -i "$1" -c copy -bsf:a "setts=ts=$3" "${bitexact[@]}" "$2"
}

tone 440 3 1 48000 "$tmp/voice.wav"
opus_track "$tmp/voice.wav" 1 "$tmp/voice-mono.mka"
shift_ts "$tmp/voice-mono.mka" "$out/opus-gaps.mka" 'TS+1564+if(gte(N\,50)\,500\,0)+if(gte(N\,100)\,1234\,0)'

opus_track "$tmp/voice.wav" 2 "$tmp/voice-stereo.webm"
shift_ts "$tmp/voice-stereo.webm" "$out/opus-gaps.webm" 'TS+1564+if(gte(N\,50)\,500\,0)+if(gte(N\,100)\,1234\,0)'

tone 300 2 1 8000 "$tmp/pstn.wav"
"${ff[@]}" -i "$tmp/pstn.wav" -c:a pcm_mulaw "${bitexact[@]}" "$tmp/pstn.mka"
shift_ts "$tmp/pstn.mka" "$out/pcmu-gaps.mka" 'TS+250+if(gte(N\,5)\,300\,0)'
"${ff[@]}" -i "$tmp/pstn.wav" -c:a pcm_alaw "${bitexact[@]}" "$out/pcma.mka"

tone 523 2 1 48000 "$tmp/composition.wav"
"${ff[@]}" -i "$tmp/composition.wav" -c:a aac -b:a 32k "${bitexact[@]}" "$out/aac-edit.m4a"
"${ff[@]}" -i "$out/aac-edit.m4a" -c copy -output_ts_offset 1.5 "${bitexact[@]}" "$out/aac-delayed.m4a"
"${ff[@]}" -i "$out/aac-edit.m4a" -c copy -movflags +frag_keyframe+empty_moov+default_base_moof \
  -frag_duration 500000 "${bitexact[@]}" "$out/aac-fragmented.mp4"

tone 440 3 1 48000 "$tmp/alice.wav"
opus_track "$tmp/alice.wav" 1 "$tmp/alice.mka"
shift_ts "$tmp/alice.mka" "$out/room-alice.mka" 'TS+1564'
tone 660 2.5 1 48000 "$tmp/bob.wav"
opus_track "$tmp/bob.wav" 1 "$tmp/bob.mka"
shift_ts "$tmp/bob.mka" "$out/room-bob.mka" 'TS+4200'

ls -l "$out"
