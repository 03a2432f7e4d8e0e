-- Shared by the wrk scripts: auth header, optional pacing, and a JSON summary written by done().
local M = {}

function M.setup_headers()
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
function M.delay()
  if delay_ms > 0 then return delay_ms end
  return 0
end

function M.done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  local seconds = summary.duration / 1000000.0
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"non_2xx": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000.0, latency:percentile(90) / 1000.0, latency:percentile(99) / 1000.0,
    latency.max / 1000.0, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
  out:close()
end

return M
