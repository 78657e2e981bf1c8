--[==[case
clauses = ["E3", "H2"]
summary = "http.listen waits by yielding with no filter, so it runs inside parallel beside a timer coroutine"
stdout = '''
ok
'''

[[step]]
send = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'a'

[[step]]
send = 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n'
delay_ms = 600
status = 200
body = 'ticks=5'
]==]
local port = tonumber(...)
local ticks = 0
local served = 0
parallel.waitForAll(
  function()
    http.listen(port, function(req, res)
      served = served + 1
      if req.getURL() == "/a" then
        res.write("a")
        res.close()
        return false
      end
      res.write("ticks=" .. ticks)
      res.close()
      return true
    end)
  end,
  function()
    for _ = 1, 5 do
      sleep(0.05)
      ticks = ticks + 1
    end
  end
)
assert(served == 2, "served " .. served)
print("ok")
