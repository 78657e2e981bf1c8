--[==[case
clauses = ["S4", "S7", "S9"]
summary = "a 1xx status cannot end a response: setStatusCode(101) (like 100 and 199) is answered 500 with no body, and the connection goes on"
stdout = '''
ok
'''

[[step]]
send = 'GET /101 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
reason = "Internal Server Error"
body = ''
headers_absent = ["Upgrade", "X-Script"]

[[step]]
conn = "same"
send = 'GET /100 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
body = ''

[[step]]
conn = "same"
send = 'GET /199 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
body = ''

[[step]]
conn = "same"
send = 'GET /200 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'x'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local code = tonumber(req.getURL():sub(2))
  res.setStatusCode(code)
  res.setResponseHeader("X-Script", "set")
  if code == 101 then res.setResponseHeader("Upgrade", "websocket") end
  res.write("x")
  res.close()
  return code == 200
end)
print("ok")
