--[==[case
clauses = ["E2", "S8", "R8"]
summary = "with the sockets on their own thread (--io-threads 1): at most 256 pending requests while the script does not pull, the rest get 503 at the deadline"
fix = ["E2", "R8"]
runner_args = ["--response-timeout", "1", "--io-threads", "1"]
timeout = 10
stdout = '''
ok
'''

# 300 requests at once. One event is pulled, then the script stops yielding for
# 4 s: about 256 more events queue up (answered empty at their 1 s deadline),
# the others wait 1 s and get 503 with Retry-After. Every request gets a response.
[[concurrent]]
count = 300
send = 'GET /{i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
]==]
local port = tonumber(...)
http.addListener(port)
local count = 0
local _, _, req, res = os.pullEvent("http_request")
count = 1
local stop = os.epoch("utc") + 4000
while os.epoch("utc") < stop do end
-- drain: every queued request's deadline has passed, its handles are closed
local closed = 0
local timer = os.startTimer(1)
while true do
  local ev, a, b, c = os.pullEvent()
  if ev == "http_request" then
    count = count + 1
    local ok, err = pcall(c.write, "late")
    if not ok and type(err) == "string" and err:match("attempt to use a closed file$") then closed = closed + 1 end
  elseif ev == "timer" and a == timer then
    break
  end
end
printError("events: " .. count .. ", closed handles: " .. closed)
assert(count < 300, "all 300 requests were queued: no back-pressure")
assert(count >= 250 and count <= 260, "events: " .. count .. " (bound 256 expected)")
assert(closed == count - 1, "handles still open after their deadline: " .. (count - 1 - closed))
print("ok")
