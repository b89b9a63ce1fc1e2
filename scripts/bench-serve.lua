-- wrk script for scripts/bench-serve.sh: POST /twilio/video with room-ended callbacks, each
-- with its own RoomSid and a valid X-Twilio-Signature. The requests are signed in advance (HMAC-SHA1
-- with the Auth Token, by Python's hmac in bench-serve.sh) into the file $BENCH_REQUESTS; each
-- wrk thread walks its own slice of it. Counts the answers: "added" (a new job), "exists" (a room
-- seen before, after the slice wrapped) and anything else.
-- One request a line: the form body, a tab, the signature.
local requests = {}
for line in io.lines(os.getenv("BENCH_REQUESTS")) do
  local tab = line:find("\t", 1, true)
  requests[#requests + 1] = {line:sub(1, tab - 1), line:sub(tab + 1)}
end
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  -- Each of the BENCH_THREADS threads walks its own slice, so no room is sent twice until a
  -- slice wraps.
  stride = math.floor(#requests / tonumber(os.getenv("BENCH_THREADS") or "1"))
  position = 0
  added, exists, other = 0, 0, 0
end

function request()
  position = position + 1
  local r = requests[id * stride + (position % stride) + 1]
  return wrk.format("POST", "/twilio/video",
    {["Content-Type"] = "application/x-www-form-urlencoded", ["X-Twilio-Signature"] = r[2]}, r[1])
end

function response(status, headers, body)
  if status == 200 and body:sub(1, 6) == "added " then
    added = added + 1
  elseif status == 200 and body:sub(1, 7) == "exists " then
    exists = exists + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, e, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("added")
    e = e + thread:get("exists")
    o = o + thread:get("other")
  end
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f added=%d exists=%d other=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, a, e, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
