-- wrk script: every request carries the next token of the file named by WRK_TOKENS (one a line),
-- the two wrk threads starting half the file apart, so that the tokens cycle as under autocannon: a
-- token comes back only after about as many others as the file holds.
local tokens = {}
for line in io.lines(os.getenv("WRK_TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0
local i = 0

function setup(thread)
  thread:set("offset", counter * math.floor(#tokens / 2))
  counter = counter + 1
end

function init()
  i = tonumber(offset) or 0
end

function request()
  i = i + 1
  return wrk.format("GET", "/v1/shelves/42", { ["Authorization"] = "Bearer " .. tokens[(i % #tokens) + 1] })
end

function done(summary, latency, requests)
  io.write(string.format('{"requests":%d,"seconds":%f,"p99us":%d,"non2xx":%d,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
