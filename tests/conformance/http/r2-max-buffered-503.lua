--[==[case
clauses = ["R2", "E2", "R9", "X22"]
fix = ["R9"]
summary = "a body within --max-body but over what the computer may hold at once (--max-buffered) is answered 503 with Retry-After and no event"
runner_args = ["--max-buffered", "100"]
stdout = '''
ok
'''

[[step]]
send = 'POST /over HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
status = 503
headers = { "Retry-After" = "1" }

[[step]]
send = 'POST /fits HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
status = 200
body = '/fits 100'

[[step]]
send = 'GET /done HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/done 0'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local url = req.getURL()
  res.write(url .. " " .. #req.readAll())
  res.close()
  return url == "/done"
end)
print("ok")
