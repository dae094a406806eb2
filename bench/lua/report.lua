-- Counts responses outside 2xx and prints wrk's figures as one JSON line for bench/load.py.
-- With the argument "new-searches", each request is a search nobody made before: the same
-- words followed by different white space, which Kettle reads as the same search but
-- would keep as a different page, so no kept page can answer it.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

function init(args)
  non2xx = 0
  new_searches = args[1] == "new-searches"
  sent = 0
end

function request()
  if not new_searches then
    return wrk.request()
  end
  -- This thread's n-th request (with its thread's index, up to 64 threads): the number,
  -- written in binary after the words as 24 spaces and tabs (a tab is "%09"), is unique
  -- for 262,144 requests a thread.
  sent = sent + 1
  local n, spaces = sent * 64 + index, {}
  for _ = 1, 24 do
    table.insert(spaces, n % 2 == 1 and "%09" or "+")
    n = math.floor(n / 2)
  end
  return wrk.format(nil, wrk.path .. table.concat(spaces))
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"non2xx": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50.0), latency:percentile(99.0),
    unexpected, e.connect + e.read + e.write, e.timeout))
end
