#!/usr/bin/env bash
# The main job on the bundled sample call (TestAudio/call): probe both participants' tracks and
# check them against Conversational Intelligence's rules, then merge them into one dual-channel
# 16 kHz FLAC (agent on channel 1, customer on channel 2) and validate the result.
# A debug build is enough for these few seconds of audio; use `swift build -c release` for real work.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build
swift build --product callprep >.build/run-sample-build.log 2>&1 || { cat .build/run-sample-build.log; exit 1; }
bin="$(swift build --show-bin-path)/callprep"
set -x
"$bin" probe TestAudio/call/agent.wav TestAudio/call/customer.wav
# Each track alone is mono, so validate warns that Intelligence cannot separate speakers:
# that is what `callprep merge` fixes.
"$bin" validate TestAudio/call/agent.wav TestAudio/call/customer.wav
out="${TMPDIR:-/tmp}/callprep-sample"
mkdir -p "$out"
"$bin" merge TestAudio/call/agent.wav TestAudio/call/customer.wav -o "$out/call.flac" --force \
  --participant "1:role=Agent,full_name=Alice Agent" --participant "2:role=Customer,full_name=Bob Customer"
"$bin" validate "$out/call.flac"
# Submit with the channel map from the manifest. Without credentials this is a dry run: it
# checks call.flac against the manifest's SHA-256, shows what it would upload, and prints the
# exact request with a presigned URL computed offline (signed with a placeholder key when no S3
# credentials are configured). For a real transcript set TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN
# (or TWILIO_API_KEY + TWILIO_API_SECRET), CALLPREP_SERVICE_SID (GA…) and either CALLPREP_UPLOAD
# (s3://BUCKET/PREFIX/, with S3 credentials as for `aws s3 cp`; see Docs/Upload.md) or
# CALLPREP_MEDIA_URL (a URL where you host call.flac yourself).
if [[ -n "${TWILIO_ACCOUNT_SID:-}" && -n "${CALLPREP_SERVICE_SID:-}" && -n "${CALLPREP_UPLOAD:-}${CALLPREP_MEDIA_URL:-}" ]]; then
  if [[ -n "${CALLPREP_UPLOAD:-}" ]]; then media=(--upload "$CALLPREP_UPLOAD"); else media=(--media-url "$CALLPREP_MEDIA_URL"); fi
  sid=$("$bin" submit --service "$CALLPREP_SERVICE_SID" "${media[@]}" \
    --manifest "$out/call.manifest.json" --wait --timeout 30m --json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["sid"])')
  # The transcript is complete: print who said what, with the names from the channel map.
  "$bin" transcripts sentences "$sid"
else
  "$bin" submit --service GA00000000000000000000000000000000 \
    --upload "s3://callprep-sample/calls/" \
    --manifest "$out/call.manifest.json" --dry-run
fi
