--[==[case
clauses = ["L5"]
summary = "removeListener closes idle keep-alive connections: a second request on the same connection gets nothing"
fix = ["L5"]
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /first HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'first'

[[step]]
send = 'GET /second HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
delay_ms = 300
no_response = true
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
res.write("first")
res.close()
http.removeListener(port)
local timer = os.startTimer(1.5)
while true do
  local ev, a = os.pullEvent()
  assert(ev ~= "http_request", "request after removeListener")
  if ev == "timer" and a == timer then break end
end
print("ok")
