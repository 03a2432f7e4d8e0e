package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local c = require("common")
c.setup_headers()
wrk.method = "GET"
delay = c.delay
done = c.done
