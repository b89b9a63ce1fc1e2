#!/usr/bin/env bash
# Benchmark (not a test): `callprep serve`'s POST /twilio/video under wrk on loopback, with
# room-ended callbacks signed as Twilio signs them (each its own room, so each accepted one adds
# a job to a SQLite store; `--workers 0`: the front door alone). Reports requests/s and latency
# percentiles with 1 and 100 connections, checks that every callback answered "added" is a row
# in the database (and no more rows than answers plus the requests in flight when wrk stopped),
# and samples the server's RSS every 10 s during a soak run.
# Usage: scripts/bench-serve.sh rate|soak   (run each under `flock -x /work/bench.lock`)
#   rate: 1 connection, then 100 connections (2 wrk threads), DURATION each (default 30s)
#   soak: 100 connections for SOAK (default 300s), RSS sampled every 10 s
# CALLPREP=path/to/callprep skips the release build; REQUESTS sets how many distinct signed
# callbacks are generated per run (default 150000; a run that sends more wraps and gets "exists").
set -euo pipefail
cd "$(dirname "$0")/.."
phase=${1:-rate}
scripts/install-deps.sh --bench
work=bench-work/serve
mkdir -p "$work"
if [[ -z "${CALLPREP:-}" ]]; then
  source scripts/lib/release-binary.sh
  CALLPREP="$(release_binary "$work/build.log")"
fi
export TWILIO_AUTH_TOKEN=bench_auth_token_0123456789abcdef TWILIO_ACCOUNT_SID=ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
public=https://bench.example.com
requests=${REQUESTS:-150000}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# REQUESTS room-ended callbacks for rooms RM<run><n>, signed for $public/twilio/video: one a
# line, the form body, a tab, the signature.
sign() {
  python3 - "$1" "$requests" "$TWILIO_AUTH_TOKEN" "$public/twilio/video" >"$work/requests-$1.txt" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
run, count, token, url = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
out = []
for n in range(count):
    room = "RM%02x%030x" % (run, n)
    params = [("AccountSid", "AC" + "b" * 32), ("RoomName", "call-%d" % n), ("RoomSid", room), ("RoomStatus", "completed"),
              ("RoomType", "group"), ("StatusCallbackEvent", "room-ended"), ("Timestamp", "2026-12-06T12:00:00.000Z")]
    text = url + "".join(k + v for k, v in sorted(params))
    sig = base64.b64encode(hmac.new(token, text.encode(), hashlib.sha1).digest()).decode()
    body = urllib.parse.urlencode(params)
    out.append(body + "\t" + sig)
print("\n".join(out))
PY
}

db="$work/jobs-$phase.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
port=$(free_port); admin=$(free_port)
"$CALLPREP" serve --listen "127.0.0.1:$port" --admin-listen "127.0.0.1:$admin" --public-url "$public" \
  --workers 0 --db "sqlite:$db" 2>"$work/serve-$phase.log" &
serve=$!
trap 'kill $serve 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$admin/healthz" && break; sleep 0.1; done

rows() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from jobs").fetchone()[0])' "$db"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$serve/status"; }

# wrk with CONNECTIONS THREADS DURATION RUN; prints the RESULT line and the rows check.
load() {
  sign "$4"
  local before after added
  before=$(rows)
  BENCH_REQUESTS="$work/requests-$4.txt" BENCH_THREADS="$2" wrk -c "$1" -t "$2" -d "$3" --latency -s scripts/bench-serve.lua \
    "http://127.0.0.1:$port/twilio/video" >"$work/wrk-$phase-$4.txt"
  after=$(rows)
  local line; line=$(grep '^RESULT' "$work/wrk-$phase-$4.txt")
  added=$(sed -E 's/.* added=([0-9]+).*/\1/' <<<"$line")
  echo "connections=$1 threads=$2 duration=$3 $line rows_added=$((after - before)) load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  # Every callback answered "added" must be a row. A few more rows than answers are requests
  # in flight when wrk stopped (answered after it stopped counting): at most one per connection.
  if (( after - before < added || after - before > added + $1 )); then
    echo "MISMATCH: $added answered added, $((after - before)) rows" >&2; exit 1
  fi
}

case "$phase" in
  rate)
    load 1 1 "${DURATION:-30s}" 1
    load 100 2 "${DURATION:-30s}" 2
    echo "rss_kib=$(rss)"
    ;;
  soak)
    soak=${SOAK:-300}
    echo "rss_kib at start: $(rss)"
    ( for ((t = 0; t <= soak; t += 10)); do echo "$t $(rss)"; sleep 10; done ) >"$work/rss-soak.txt" &
    sampler=$!
    load 100 2 "${soak}s" 3
    wait $sampler || true
    awk '{print "t=" $1 "s rss_kib=" $2}' "$work/rss-soak.txt" | tr '\n' ' '; echo
    ;;
  *) echo "usage: scripts/bench-serve.sh rate|soak" >&2; exit 2 ;;
esac
