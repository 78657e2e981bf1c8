--[==[case
clauses = ["R2", "R9", "X22"]
fix = ["R9"]
summary = "a request body that stalls longer than --body-timeout is answered 408 and closed, with no event; the server keeps serving"
# A body that stops arriving: HTTP/1.1 framing
transports = ["tcp"]
runner_args = ["--body-timeout", "0.5"]
stdout = '''
ok
'''

[[step]]
send = 'POST /stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc'
status = 408
headers = { "Connection" = "close" }
min_ms = 400
max_ms = 3000

[[step]]
send = 'POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc'
send_only = true

[[step]]
conn = "same"
delay_ms = 300
send = 'def'
status = 200
body = 'POST /slow abcdef'

[[step]]
send = 'GET /done HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'GET /done '
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local url = req.getURL()
  res.write(req.getMethod() .. " " .. url .. " " .. req.readAll())
  res.close()
  return url == "/done"
end)
print("ok")
