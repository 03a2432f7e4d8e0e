-- POST /api/financings/{id}/approve/ over a pool of applied financings, each thread its own slice.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local c = require("common")
c.setup_headers()
delay = c.delay
done = c.done

local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local threads = 0
local slices = tonumber(os.getenv("BENCH_THREADS") or "2")

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
function request()
  local index = ((n * slices) + ((tid or 1) - 1)) % #ids + 1
  n = n + 1
  return wrk.format("POST", "/api/financings/" .. ids[index] .. "/approve/", nil, '{"interest_rate": "4.00"}')
end
