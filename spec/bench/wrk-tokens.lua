-- wrk script: every request carries the next token of the file named by WRK_TOKENS (one a line).
-- Each of the two wrk threads cycles through its own half of the file, so that a token comes back
-- only after about as many others as the file holds, however the threads' speeds drift apart (as
-- under autocannon, whose one counter serves every connection).
local tokens = {}
for line in io.lines(os.getenv("WRK_TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0
local first, count, i = 0, 0, 0

function setup(thread)
  local half = math.floor(#tokens / 2)
  thread:set("from", counter * half)
  thread:set("size", half)
  counter = counter + 1
end

function init()
  -- `from` and `size` are the globals setup gave this thread.
  first = tonumber(from) or 0
  count = tonumber(size) or #tokens
  -- Where the last run left off (WRK_START, per thread), so that no token comes back early.
  i = tonumber(os.getenv("WRK_START")) or 0
end

function request()
  i = i + 1
  return wrk.format("GET", "/v1/shelves/42", { ["Authorization"] = "Bearer " .. tokens[first + (i % count) + 1] })
end

function done(summary, latency, requests)
  io.write(string.format('{"requests":%d,"seconds":%f,"p99us":%d,"non2xx":%d,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
