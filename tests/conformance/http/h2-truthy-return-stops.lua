--[==[case
clauses = ["H2", "L5"]
summary = "a falsy callback return keeps listening; a truthy one (even 0) removes the listener and returns"
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /false HTTP/1.1\r\nHost: x\r\n\r\n'
body = '1'

[[step]]
send = 'GET /nil HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
body = '2'

[[step]]
send = 'GET /zero HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
body = '3'

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
delay_ms = 300
no_response = true
]==]
local port = tonumber(...)
local calls = 0
local results = { ["/false"] = false, ["/nil"] = nil, ["/zero"] = 0 }
http.listen(port, function(req, res)
  calls = calls + 1
  local url = req.getURL()
  res.write(calls)
  res.close()
  return results[url]
end)
assert(calls == 3, "callback called " .. calls .. " times")
local timer = os.startTimer(1.5)
while true do
  local ev, a = os.pullEvent()
  assert(ev ~= "http_request", "request after listen returned: the listener is still there")
  if ev == "timer" and a == timer then break end
end
print("ok")
