-- POST /v1/mentions, a new mention per request (unique external_id): the load of `bench_http.py --client wrk`.
-- Environment: BENCH_KEY (the API key), BENCH_TEXTS (a file of JSON-encoded texts, one per line).
local threads, next_id = {}, 1
local texts, brands = {}, {"Kopiku", "Gojek", "Grab"}

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_TEXTS")) do table.insert(texts, line) end
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")}
  n, others = 0, 0
end

function request()
  n = n + 1
  local i = id * 10000000 + n
  local body = string.format(
    '{"source":"bench","external_id":"wrk-%d","author":{"platform":"twitter","handle":"@user%d"},'
      .. '"brand":"%s","channel":"twitter","text":%s,"reach":%d,"occurred_at":"%s"}',
    i, i % 500, brands[i % 3 + 1], texts[n % #texts + 1], 100 + i % 1000,
    os.date("!%Y-%m-%dT%H:%M:%S+00:00", 1767225600 + (n % 40000) * 60))  -- from 2026-01-01, 28 days of minutes
  return wrk.format("POST", "/v1/mentions", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then others = others + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("others") end
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f non201=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    failed, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
