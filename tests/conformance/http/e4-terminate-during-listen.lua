--[==[case
clauses = ["E4", "H4", "L5"]
summary = "terminate during http.listen raises 'Terminated' out of it and removes the listener"
fix = ["H4"]
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /t HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'bye'

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
delay_ms = 300
no_response = true
]==]
local port = tonumber(...)
local ok, err = pcall(http.listen, port, function(req, res)
  os.queueEvent("terminate")
  res.write("bye")
  res.close()
  -- falsy return: listen goes on waiting and meets the terminate
end)
assert(not ok, "listen returned normally")
assert(err == "Terminated", "listen raised " .. tostring(err))
local timer = os.startTimer(1.5)
while true do
  local ev, a = os.pullEventRaw()
  assert(ev ~= "http_request", "request after terminate: the listener is still there")
  if ev == "timer" and a == timer then break end
end
print("ok")
