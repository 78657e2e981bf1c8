--[==[case
clauses = ["L5", "R2", "E1"]
summary = "requests whose events are already queued when removeListener is called still get their responses"
# The script spins without yielding so that events pile up in the queue: that
# needs the transport on its own thread (with the default --io-threads 0 it
# shares the script's thread and accepts nothing while the script spins).
runner_args = ["--io-threads", "1"]
stdout = '''
ok
'''

[[concurrent]]
count = 5
send = 'GET /{i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
status = 200
body = '/{i}'
]==]
local port = tonumber(...)
http.addListener(port)
local pending = {}
local _, _, req, res = os.pullEvent("http_request")
pending[1] = { req, res }
-- Do not yield for a second: the other requests arrive and their events queue up.
local stop = os.epoch("utc") + 1000
while os.epoch("utc") < stop do end
http.removeListener(port)
-- drain the queue: everything that was queued must still be answerable
local timer = os.startTimer(1)
while true do
  local ev, a, b, c = os.pullEvent()
  if ev == "http_request" then
    pending[#pending + 1] = { b, c }
  elseif ev == "timer" and a == timer then
    break
  end
end
for _, rr in ipairs(pending) do
  rr[2].write(rr[1].getURL())
  rr[2].close()
end
printError("answered " .. #pending .. " requests")
assert(#pending == 5, "answered " .. #pending .. " of 5 requests")
print("ok")
