--[==[case
clauses = ["E5", "S8", "E3"]
summary = "neither the response deadline nor http.listen leaves a timer (or any other) event in the computer's queue"
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /unanswered HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = ''
min_ms = 900

[[step]]
send = 'GET /listen HTTP/1.1\r\nHost: x\r\n\r\n'
delay_ms = 800
status = 200
body = 'done'
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
-- leave it unanswered: the deadline (1 s) answers it. Collect every event for 1.2 s.
local mine = os.startTimer(1.2)
while true do
  local ev, a = os.pullEventRaw()
  if ev == "timer" and a == mine then break end
  error("unexpected event " .. tostring(ev) .. " " .. tostring(a))
end
-- the listener is still there; listen's own addListener is a no-op (L2)
http.listen(port, function(req2, res2)
  res2.write("done")
  res2.close()
  return true
end)
mine = os.startTimer(0.5)
while true do
  local ev, a = os.pullEventRaw()
  if ev == "timer" and a == mine then break end
  error("unexpected event after listen: " .. tostring(ev) .. " " .. tostring(a))
end
print("ok")
