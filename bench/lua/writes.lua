-- One writer per wrk thread: each posts perspectives with its own session cookie and CSRF
-- token, read from the file bench/writes.py passes as the first script argument, one
-- writer a line: question id, token, cookie, and URL-encoded words (tab-separated).
-- Every answer but a 303 counts as an error.
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("index", count)
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if n == index then
      question, token, cookie, words = line:match("^(%d+)\t([^\t]+)\t([^\t]+)\t(.+)$")
    end
  end
  sent = 0
  unexpected = 0
  path = "/q/" .. question .. "/answers"
  post_headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie}
end

function request()
  sent = sent + 1
  -- Different words every time, or Kettle would rightly store a repeated sending once.
  local body = "csrf_token=" .. token .. "&body=" .. words .. "+%28" .. index .. "." .. sent ..
    "%29&kind=own-experience&as=anonymous&content_note_other=&website="
  return wrk.format("POST", path, post_headers, body)
end

function response(status, headers, body)
  if status ~= 303 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"non2xx": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50.0), latency:percentile(99.0),
    wrong, e.connect + e.read + e.write, e.timeout))
end
