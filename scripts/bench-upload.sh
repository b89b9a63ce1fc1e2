#!/usr/bin/env bash
# Benchmark (not a test): `callprep upload` against boto3's upload_file and `aws s3 cp`, side by
# side in one run, uploading to moto's S3 server on 127.0.0.1 with the same multipart settings
# (threshold 64 MiB, parts of 16 MiB, 4 in flight). Wall time (median of RUNS) and peak RSS.
# Inputs: random 80 MB and 1 GB files generated into bench-work/upload/ (not committed).
# moto keeps every object in memory and is single-threaded Python: on loopback it is usually
# the bottleneck, so the figures compare the clients' overhead, not the wire speed.
# Usage: scripts/bench-upload.sh [RUNS]   (CALLPREP=path/to/callprep to skip the release build;
#        CALLPREP_BASELINE=path/to/another/callprep adds a column for it, e.g. main's build, so
#        a change is measured before/after in the same run)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
scripts/install-deps.sh --bench
work=bench-work/upload
mkdir -p "$work"

if [[ -z "${CALLPREP:-}" ]]; then
  source scripts/lib/release-binary.sh
  CALLPREP="$(release_binary "$work/build.log")"
fi

# moto and boto3 come from the test venv (scripts/install-deps.sh); the AWS CLI gets its own
# venv, since it pins its own botocore.
venv="${CALLPREP_PYENV:-$HOME/.cache/callprep-pyenv}"
awsvenv="$HOME/.cache/callprep-bench-awscli"
if [[ ! -x "$awsvenv/bin/aws" ]]; then
  python3 -m venv "$awsvenv"
  "$awsvenv/bin/pip" install --quiet --disable-pip-version-check awscli
fi

for size in 80 1000; do
  f="$work/${size}MB.bin"
  [[ -f "$f" ]] || head -c $((size * 1000 * 1000)) /dev/urandom >"$f"
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
curl -s -X PUT -o /dev/null "http://127.0.0.1:$port/bench"

export AWS_ACCESS_KEY_ID=AKIABENCHMARK0000000 AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" HOME="$PWD/$work/home"
mkdir -p "$HOME/.aws"
# The AWS CLI with callprep's multipart settings.
printf '[default]\ns3 =\n  multipart_threshold = 64MB\n  multipart_chunksize = 16MB\n  max_concurrent_requests = 4\n' >"$HOME/.aws/config"
cat >"$work/boto3_upload.py" <<'PY'
import sys, boto3
from boto3.s3.transfer import TransferConfig
MiB = 1 << 20
config = TransferConfig(multipart_threshold=64 * MiB, multipart_chunksize=16 * MiB, max_concurrency=4)
boto3.client("s3").upload_file(sys.argv[1], "bench", sys.argv[2], Config=config)
PY

# Median wall time (ms) of RUNS invocations and the largest peak RSS; each run uploads
# to a fresh key, so callprep's "already there" shortcut never applies.
measure() {
  local name=$1; shift
  local times=() peak=0
  for ((i = 0; i < runs; i++)); do
    local t0 t1 key="$name-$i-$RANDOM"
    local args=("${@//KEY/$key}")
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/rss" "${args[@]}" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    t1=$(date +%s%N)
    # moto keeps objects in memory: drop each one before the next upload.
    curl -s -X DELETE -o /dev/null "http://127.0.0.1:$port/bench/$key"
    times+=($(( (t1 - t0) / 1000000 )))
    peak=$(( $(tail -1 "$work/rss") > peak ? $(tail -1 "$work/rss") : peak ))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v rss="$peak" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d ms / %.0f MiB", m, rss/1024}'
}

baseline=${CALLPREP_BASELINE:-}
if [[ -n "$baseline" ]]; then
  echo "| file | callprep upload | callprep baseline | boto3 upload_file | aws s3 cp | callprep ÷ boto3 | callprep ÷ aws |"
  echo "|---|---|---|---|---|---|---|"
else
  echo "| file | callprep upload | boto3 upload_file | aws s3 cp | callprep ÷ boto3 | callprep ÷ aws |"
  echo "|---|---|---|---|---|---|"
fi
for size in 80 1000; do
  f="$work/${size}MB.bin"
  c=$(measure callprep "$CALLPREP" upload "$f" "s3://bench/KEY" --allow-http)
  [[ -n "$baseline" ]] && o=$(measure baseline "$baseline" upload "$f" "s3://bench/KEY" --allow-http)
  b=$(measure boto3 "$venv/bin/python" "$work/boto3_upload.py" "$f" KEY)
  a=$(measure aws "$awsvenv/bin/aws" s3 cp --only-show-errors "$f" "s3://bench/KEY")
  ratio() { awk -v x="${1%% ms*}" -v y="${2%% ms*}" 'BEGIN { printf "%.2f", x / y }'; }
  echo "| ${size} MB | $c |${baseline:+ $o |} $b | $a | $(ratio "$c" "$b") | $(ratio "$c" "$a") |"
done
