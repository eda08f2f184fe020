-- wrk script: optional POST bodies (one per line of BENCH_BODIES, used in turn), optional
-- headers (BENCH_HEADERS, "Name: value" separated by "|"), and a JSON summary at the end.
local bodies = {}
local method = os.getenv("BENCH_METHOD") or "GET"
local headers = {}
local counter = 0

local file = os.getenv("BENCH_BODIES")
if file and file ~= "" then
  for line in io.lines(file) do table.insert(bodies, line) end
end
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

-- BENCH_OFFSET differs between runs, so a run never re-sends what an earlier run sent.
local base = tonumber(os.getenv("BENCH_OFFSET") or "0")

function setup(thread)
  counter = counter + 1
  thread:set("offset", base + counter * 100003)
end

function init(args)
  n = offset or 0
end

function request()
  local body = nil
  if #bodies > 0 then
    n = n + 1
    body = bodies[(n % #bodies) + 1]
  end
  return wrk.format(method, nil, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "non2xx": %d, "socket_errors": %d, ' ..
    '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.bytes))
end
