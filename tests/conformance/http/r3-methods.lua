--[==[case
clauses = ["R3", "S7"]
summary = "getMethod is the method token as sent: GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD and custom tokens"
stdout = '''
ok
'''

[[step]]
send = 'GET /m HTTP/1.1\r\nHost: x\r\n\r\n'
headers = { "X-Method" = "GET" }
body = 'GET'

[[step]]
send = 'POST /m HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\np'
headers = { "X-Method" = "POST" }
body = 'POST'

[[step]]
send = 'PUT /m HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\np'
headers = { "X-Method" = "PUT" }
body = 'PUT'

[[step]]
send = 'DELETE /m HTTP/1.1\r\nHost: x\r\n\r\n'
headers = { "X-Method" = "DELETE" }
body = 'DELETE'

[[step]]
send = 'PATCH /m HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\np'
headers = { "X-Method" = "PATCH" }
body = 'PATCH'

[[step]]
send = 'OPTIONS /m HTTP/1.1\r\nHost: x\r\n\r\n'
headers = { "X-Method" = "OPTIONS" }
body = 'OPTIONS'

[[step]]
send = 'HEAD /m HTTP/1.1\r\nHost: x\r\n\r\n'
head = true
headers = { "X-Method" = "HEAD" }

[[step]]
send = 'BREW /m HTTP/1.1\r\nHost: x\r\n\r\n'
headers = { "X-Method" = "BREW" }
body = 'BREW'

[[step]]
send = 'X-CUSTOM_1 /m HTTP/1.1\r\nHost: x\r\n\r\n'
headers = { "X-Method" = "X-CUSTOM_1" }
body = 'X-CUSTOM_1'

[[step]]
send = 'PROPFIND /last HTTP/1.1\r\nHost: x\r\n\r\n'
headers = { "X-Method" = "PROPFIND" }
body = 'PROPFIND'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local m, url = req.getMethod(), req.getURL()
  res.setResponseHeader("X-Method", m)
  res.write(m)
  res.close()
  return url == "/last"
end)
print("ok")
