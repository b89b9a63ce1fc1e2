#!/usr/bin/env bash
# Regenerates TestAudio/: a short synthesized two-person call (one track per participant, in WAV,
# FLAC and MP3) and the small edge-case files the tests use. Output is deterministic for a given
# espeak-ng/sox/lame/flac/ffmpeg version; the committed files are the reference.
# Needs: espeak-ng sox lame flac ffmpeg (scripts/install-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
out=TestAudio
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/call" "$out/edge" "$out/formats"

rate=16000
say() { # say VOICE TEXT OUT.wav — speak, then convert to 16 kHz mono 16-bit
  espeak-ng -v "$1" -s 165 -w "$work/raw.wav" "$2"
  sox -q "$work/raw.wav" -r $rate -c 1 -b 16 "$3"
}
silence() { # silence FRAMES OUT.wav
  sox -q -n -r $rate -c 1 -b 16 "$2" trim 0 "$1"s
}
frames() { soxi -s "$1"; }

agent_lines=(
  "Thank you for calling Owl Bank, this is Alice. How can I help you today?"
  "I can help with that. Can you confirm the last four digits of the card?"
  "Thanks. I have blocked the card and a new one will arrive in five days."
)
customer_lines=(
  "Hi Alice, I lost my debit card yesterday and I want to block it."
  "Sure, it ends in four two one seven."
  "Great, thank you so much. That is all I needed. Goodbye."
)

agent_parts=()
customer_parts=()
for i in 0 1 2; do
  say en-us "${agent_lines[$i]}" "$work/a$i.wav"
  say en-gb+f3 "${customer_lines[$i]}" "$work/c$i.wav"
  # While one speaks, the other's track holds silence of the same length (a 0.3 s gap between turns).
  silence $(( $(frames "$work/a$i.wav") + 4800 )) "$work/ca$i.wav"
  silence $(( $(frames "$work/c$i.wav") + 4800 )) "$work/ac$i.wav"
  agent_parts+=("$work/a$i.wav" "$work/ac$i.wav")
  customer_parts+=("$work/ca$i.wav" "$work/c$i.wav")
done
# The agent's recorder stops right after her last line; the customer's runs on: lengths differ.
unset 'agent_parts[5]'
sox -q "${agent_parts[@]}" "$out/call/agent.wav"
sox -q "${customer_parts[@]}" "$out/call/customer.wav"

for who in agent customer; do
  flac -s -f --best -o "$out/call/$who.flac" "$out/call/$who.wav"
  # MP3 with a Xing/Info + LAME header (gapless), VBR.
  lame --quiet -V 5 "$out/call/$who.wav" "$out/call/$who.mp3"
done
# The same customer track as CBR MP3 without a Xing/Info header (`-t`): libsndfile misjudges its length.
lame --quiet -t -b 32 "$out/call/customer.wav" "$out/call/customer-noxing.mp3"
# And as VBR without a header: libsndfile's estimate is far off and its reads stop early.
lame --quiet -t -V 2 "$out/call/customer.wav" "$out/call/customer-vbr-noxing.mp3"

# A VBR MP3 without a header whose first frames are loud (high bitrate): libsndfile 1.2.0
# estimates its length from the first frame, under-counts, and stops reading early.
sox -q -n -r $rate -c 1 -b 16 "$work/noise.wav" synth 0.3 whitenoise gain -3
sox -q "$work/noise.wav" "$out/call/agent.wav" "$work/loud.wav"
lame --quiet -t -V 2 "$work/loud.wav" "$out/edge/vbr-noxing-loud-start.mp3"

# --- formats: one second of a two-tone signal in every container/codec probe supports --------
tone="$work/tone.wav"
sox -q -n -r 48000 -c 2 -b 16 "$tone" synth 0.5 sine 440 sine 660 gain -6
f=$out/formats
sox -q "$tone" -r 8000 -c 1 -b 8 -e unsigned-integer "$f/pcm_u8.wav"
sox -q "$tone" -b 16 "$f/pcm_s16le.wav"
sox -q "$tone" -b 24 "$f/pcm_s24le.wav"
sox -q "$tone" -b 32 -e signed-integer "$f/pcm_s32le.wav"
sox -q "$tone" -b 32 -e floating-point "$f/pcm_f32le.wav"
sox -q "$tone" -r 8000 -c 1 -e u-law "$f/pcm_mulaw.wav"
sox -q "$tone" -r 8000 -c 1 -e a-law "$f/pcm_alaw.wav"
sox -q "$tone" -r 8000 -c 1 -e ima-adpcm "$f/adpcm_ima.wav"
sox -q "$tone" -r 8000 -c 1 -e ms-adpcm "$f/adpcm_ms.wav"
ffmpeg -v error -y -i "$tone" -c:a pcm_s16le -rf64 always "$f/rf64.wav"
ffmpeg -v error -y -i "$tone" -c:a pcm_s16le "$f/w64.w64"
# WAVE_FORMAT_EXTENSIBLE (sox writes it for >2 channels or >16 bits; force it for 16-bit stereo).
ffmpeg -v error -y -i "$tone" -c:a pcm_s16le -write_bext 0 -rf64 never -f wav -wav_extensible 1 "$f/extensible.wav" 2>/dev/null \
  || sox -q "$tone" -b 24 "$f/extensible.wav"
sox -q "$tone" -b 16 "$f/aiff.aiff"
flac -s -f -o "$f/flac_s16.flac" "$tone"
sox -q "$tone" -b 24 "$work/t24.wav"; flac -s -f -o "$f/flac_s24.flac" "$work/t24.wav"
sox -q "$tone" "$f/vorbis.ogg"
ffmpeg -v error -y -i "$tone" -c:a libopus -b:a 48k "$f/opus.opus"
lame --quiet -b 128 "$tone" "$f/mp3_mpeg1.mp3"
lame --quiet --resample 22.05 -b 64 "$tone" "$f/mp3_mpeg2.mp3"
lame --quiet --resample 8 -b 16 -m m "$tone" "$f/mp3_mpeg25.mp3"
# An MP3 behind an ID3v2 tag, and the same MP3 misnamed .wav.
lame --quiet -b 64 --tt "Sample" --ta "callprep" --add-id3v2 "$tone" "$f/mp3_id3v2.mp3"
cp "$f/mp3_mpeg1.mp3" "$out/edge/mp3-named.wav"

# --- edge cases ------------------------------------------------------------------------------
e=$out/edge
: > "$e/empty.wav"
printf 'This is not audio, just text in a file named .wav\n' > "$e/text.wav"
head -c 30 "$out/call/agent.wav" > "$e/truncated-header.wav"            # cut inside the fmt chunk
head -c 20000 "$out/call/agent.wav" > "$e/truncated-data.wav"           # data chunk claims more than is there
head -c 100 "$out/call/agent.flac" > "$e/truncated.flac"                # cut inside STREAMINFO/metadata
head -c 3000 "$out/call/customer-noxing.mp3" > "$e/truncated.mp3"       # a few frames, then cut mid-frame
# A WAV whose data chunk claims 0x7FFFFFF0 bytes (the file holds 1 s of 8 kHz 16-bit mono).
sox -q -n -r 8000 -c 1 -b 16 "$e/lying-datasize.wav" synth 1 sine 300
printf '\xf0\xff\xff\x7f' | dd of="$e/lying-datasize.wav" bs=1 seek=40 conv=notrunc status=none
# A FLAC whose audio frames are overwritten with garbage after the metadata.
cp "$out/call/agent.flac" "$e/corrupt-frames.flac"
size=$(stat -c %s "$e/corrupt-frames.flac")
head -c 4096 /dev/zero | tr '\0' '\125' | dd of="$e/corrupt-frames.flac" bs=1 seek=$((size / 3)) count=4096 conv=notrunc status=none
# Truncated Ogg: libsndfile reports SF_COUNT_MAX frames for the Vorbis one, "malformed" for Opus.
head -c 5000 "$f/vorbis.ogg" > "$e/truncated.ogg"
head -c 3000 "$f/opus.opus" > "$e/truncated.opus"
# Validation rule cases.
sox -q -n -r 16000 -c 1 -b 16 "$e/short-1s.wav" synth 1 sine 300 gain -12
sox -q -n -r 6000 -c 1 -b 16 "$e/rate-6k.wav" synth 3 sine 300 gain -12
sox -q -n -r 8000 -c 1 -b 16 "$e/rate-8k.wav" synth 3 sine 300 gain -12
sox -q -n -r 8000 -c 3 -b 16 "$e/three-channels.wav" synth 3 sine 300 sine 500 sine 700 gain -12
# Stereo cases from the first 4 s of the call (agent speaks from 0 s, customer from ~4.5 s: use 3–7 s).
sox -q "$out/call/agent.wav" "$work/a4.wav" trim 0 4
sox -q "$out/call/customer.wav" "$work/c4.wav" trim 3 4
sox -q "$out/call/agent.wav" "$work/a4b.wav" trim 3 4
sox -q -M "$work/a4.wav" "$work/a4.wav" "$e/stereo-identical.wav"
sox -q -n -r 16000 -c 1 -b 16 "$work/sil.wav" trim 0 4
sox -q -M "$work/a4.wav" "$work/sil.wav" "$e/silent-right.wav"
sox -q -M "$work/a4b.wav" "$work/c4.wav" "$e/dual-channel.wav"
echo "TestAudio regenerated: $(du -sh $out | cut -f1)"
