--[==[case
clauses = ["S8", "H2"]
summary = "a request the callback leaves unanswered gets an empty 200 at the deadline; listen keeps serving"
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /ignored HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers = { "Content-Length" = "0" }
headers_absent = ["Transfer-Encoding", "Content-Type"]
body = ''
min_ms = 900

[[step]]
send = 'GET /answered HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'answered'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  if req.getURL() == "/ignored" then return false end -- no close
  res.write("answered")
  res.close()
  return true
end)
print("ok")
