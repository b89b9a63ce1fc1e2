#!/usr/bin/env bash
# Installs the Debian packages callprep needs to build and test, and the Python tools its S3
# tests run (moto's S3 server, botocore's signer) in a private venv, and nothing when they are
# all present already. Usage: scripts/install-deps.sh [--bench] [--aac]
#   --bench  also installs the tools scripts/bench*.sh compare against (hyperfine is optional).
#   --aac    also installs libfaad-dev, for `swift build --traits AAC` (AAC decoding). libfaad2
#            is GPL-2.0-or-later: a binary built with it must be distributed under the GPL, so
#            the default run never installs it (Docs/Development.md, "AAC and the licence").
set -euo pipefail

# Build: the C libraries callprep links (headers + pkg-config files; libsqlite3-dev for GRDB,
# the job store's SQLite), and binutils (the linker Swift uses; `strip` for `make release`).
build_packages=(pkg-config binutils libsndfile1-dev libflac-dev libsoxr-dev libmpg123-dev libopus-dev libvorbis-dev libsqlite3-dev)
# Tests: independent references the suite cross-checks against, and the tools that regenerate
# TestAudio (espeak-ng speaks the sample call; lame/flac write the MP3/FLAC variants); the
# PostgreSQL server the job-store tests start as throwaway clusters (initdb + pg_ctl from
# /usr/lib/postgresql/15/bin, on a free loopback port; nothing is enabled as a service).
test_packages=(ffmpeg sox libsox-fmt-mp3 flac lame espeak-ng python3-venv postgresql-15)
bench_packages=(mediainfo time wrk)
# Opt-in AAC decoding (GPL-2+): the libfaad2 headers, library and faad2.pc.
aac_packages=(libfaad-dev)

wanted=("${build_packages[@]}" "${test_packages[@]}")
for arg in "$@"; do
  case "$arg" in
    --bench) wanted+=("${bench_packages[@]}") ;;
    --aac) wanted+=("${aac_packages[@]}") ;;
    *) echo "install-deps: unknown option $arg (use --bench and/or --aac)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# The S3 tests' Python tools, from PyPI into their own venv (never the system Python):
# moto's server mode is the S3 the ObjectStore tests talk to, botocore's signer the second
# opinion on SigV4. The tests find the venv at the same path (CALLPREP_PYENV overrides it).
install_python_tools() {
  local venv="${CALLPREP_PYENV:-$HOME/.cache/callprep-pyenv}"
  if [[ -x "$venv/bin/moto_server" ]] && "$venv/bin/python" -c 'import botocore, moto' 2>/dev/null; then
    return 0
  fi
  echo "install-deps: installing moto[server] and botocore into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]' botocore
}

if [[ ${#missing[@]} -eq 0 ]]; then
  install_python_tools
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
# An empty package list means `apt-get update` has never run on this machine.
if [[ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$')" ]]; then
  "${sudo_cmd[@]}" apt-get update -qq
fi
if ! "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  # The lists may be stale (a package moved to a newer version): refresh once and retry.
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
install_python_tools
