--[==[case
clauses = ["H3", "L5"]
summary = "server_stop with no port, queued inside a callback, stops every http.listen and removes their listeners"
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /stop HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'stopping'

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
delay_ms = 300
no_response = true
]==]
local port = tonumber(...)
-- a second port for a second listen (nobody connects to it)
local function secondPort()
  local base = 20000 + port % 10000
  for p = base, base + 50 do
    if p ~= port and pcall(http.addListener, p) then http.removeListener(p) return p end
  end
  error("no free second port")
end
local port2 = secondPort()
local returned = {}
parallel.waitForAll(
  function()
    http.listen(port, function(req, res)
      os.queueEvent("server_stop")
      res.write("stopping")
      res.close()
    end)
    returned[#returned + 1] = "first"
  end,
  function()
    http.listen(port2, function(req, res) res.close() end)
    returned[#returned + 1] = "second"
  end
)
assert(#returned == 2, "listens returned: " .. table.concat(returned, ","))
local timer = os.startTimer(1.5)
while true do
  local ev, a = os.pullEvent()
  assert(ev ~= "http_request", "request after server_stop: the listener is still there")
  if ev == "timer" and a == timer then break end
end
print("ok")
