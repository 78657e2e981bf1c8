--[==[case
clauses = ["E4", "H4"]
summary = "terminate queued by a parallel coroutine ends http.listen with Terminated; uncaught, the runner exits 130"
exit = 130

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'served'
]==]
local port = tonumber(...)
parallel.waitForAny(
  function()
    http.listen(port, function(req, res)
      res.write("served")
      res.close()
      os.queueEvent("go")
    end)
  end,
  function()
    os.pullEvent("go")
    os.queueEvent("terminate")
    while true do os.pullEventRaw() end
  end
)
print("listen returned")
