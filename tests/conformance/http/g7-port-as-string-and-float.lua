--[==[case
clauses = ["G7", "L2", "L5", "R1"]
summary = "ports given as numeric strings or integral floats are accepted; the event port is a number"
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /s HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'string port'

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
delay_ms = 300
no_response = true
]==]
local portString = ...
assert(type(portString) == "string", "script args are strings")
local port = tonumber(portString)
http.addListener(portString)              -- numeric string
http.addListener(port + 0.0)              -- integral float: same port, silent no-op (L2)
http.addListener(tostring(port) .. ".0")  -- numeric string of an integral float: no-op too
local _, p, req, res = os.pullEvent("http_request")
assert(type(p) == "number" and p == port, "event port is " .. type(p) .. " " .. tostring(p))
res.write("string port")
res.close()
http.removeListener(portString)           -- removes the listener (and closes the idle keep-alive)
-- no request may reach us any more
local timer = os.startTimer(1.5)
while true do
  local ev, a = os.pullEvent()
  assert(ev ~= "http_request", "request after removeListener")
  if ev == "timer" and a == timer then break end
end
print("ok")
