-- POST the floor endpoint (bench/floor): the least a write does, beside the platform's own writes.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local c = require("common")
c.setup_headers()
delay = c.delay
done = c.done

function request()
  return wrk.format("POST", os.getenv("BENCH_PATH"), nil, '{"reason": "Bench: the least a write does"}')
end
