--[==[case
clauses = ["E3", "H2", "R1"]
summary = "events that do not match are consumed by http.listen; http_request for another port does not reach the callback"
stdout = '''
ok
'''

[[step]]
send = 'GET /real HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'real'
]==]
local port = tonumber(...)
local calls = 0
os.queueEvent("custom_event", 1, 2)
os.queueEvent("http_request", port + 1, {}, {}) -- another port: ignored
os.queueEvent("another_event")
http.listen(port, function(req, res)
  calls = calls + 1
  assert(req.getURL() == "/real", "callback got " .. tostring(req.getURL))
  res.write("real")
  res.close()
  return true
end)
assert(calls == 1, "callback called " .. calls .. " times")
-- everything queued before listen was consumed by it
os.queueEvent("marker")
local ev = os.pullEvent()
assert(ev == "marker", "first event after listen is " .. tostring(ev))
print("ok")
