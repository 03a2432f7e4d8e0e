-- POST /api/receivables/ with a new invoice number each time, drawing on a pool of declarations.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local c = require("common")
c.setup_headers()
delay = c.delay
done = c.done

local declarations = {}
for line in io.lines(os.getenv("BENCH_DECLARATIONS")) do declarations[#declarations + 1] = line end
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
function request()
  n = n + 1
  local d = declarations[((tid or 1) * 7919 + n) % #declarations + 1]
  -- Each invoice its own amount: identical buyer, amount and due date is the suspected-duplicate path
  -- (an alert naming every earlier match), which real traffic takes rarely.
  local amount = string.format("%d.%02d", 100 + n, tid or 0)
  local body = string.format(
    '{"invoice_number": "B-%s-%d-%d", "buyer_name": "Bench Buyer %s", "buyer_country": "VN", "currency": "USD", ' ..
    '"amount": "%s", "issue_date": "2026-11-01", "due_date": "2027-02-01", ' ..
    '"declarations": [{"number": "%s", "amount": "%s"}]}', os.getenv("BENCH_RUN"), tid or 0, n, os.getenv("BENCH_RUN"), amount, d, amount)
  return wrk.format("POST", os.getenv("BENCH_PATH") or "/api/receivables/", nil, body)
end
