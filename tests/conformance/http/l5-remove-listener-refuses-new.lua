--[==[case
clauses = ["L5"]
summary = "removeListener stops accepting at once; the request in flight still gets its response"
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
status = 200
body = 'answered after removeListener'

[[step]]
send = 'GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
delay_ms = 300
no_response = true
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
http.removeListener(port) -- before answering: the request in flight is still answered
res.write("answered after removeListener")
res.close()
-- the second connection must get nothing, and no event may arrive
local timer = os.startTimer(1.5)
while true do
  local ev, a = os.pullEvent()
  assert(ev ~= "http_request", "request after removeListener")
  if ev == "timer" and a == timer then break end
end
print("ok")
