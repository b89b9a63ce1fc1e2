#!/usr/bin/env bash
# The main job on the bundled sample call: validate each participant's track.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product callprep >/dev/null
bin="$(swift build -c release --show-bin-path)/callprep"
"$bin" probe TestAudio/call/agent.wav TestAudio/call/customer.flac TestAudio/call/customer.mp3
"$bin" validate TestAudio/call/agent.wav TestAudio/call/customer.flac TestAudio/call/customer.mp3
