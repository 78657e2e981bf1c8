--[==[case
clauses = ["H3"]
summary = "[ext] os.queueEvent('server_stop', port) stops only the http.listen on that port"
ext = ["H3"]
stdout = '''
ok
'''

[[step]]
send = 'GET /stop2 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'stopped2'

[[step]]
send = 'GET /end HTTP/1.1\r\nHost: x\r\n\r\n'
delay_ms = 200
status = 200
body = 'second listen returned'
]==]
local port = tonumber(...)
local function secondPort()
  local base = 20000 + port % 10000
  for p = base, base + 50 do
    if p ~= port and pcall(http.addListener, p) then http.removeListener(p) return p end
  end
  error("no free second port")
end
local port2 = secondPort()
local secondDone = false
parallel.waitForAll(
  function()
    http.listen(port, function(req, res)
      if req.getURL() == "/stop2" then
        os.queueEvent("server_stop", port2)
        res.write("stopped2")
        res.close()
        return false
      end
      res.write(secondDone and "second listen returned" or "second listen still running")
      res.close()
      return true
    end)
  end,
  function()
    http.listen(port2, function(req, res) res.close() end)
    secondDone = true
  end
)
print("ok")
