--[==[case
clauses = ["G1", "S1", "R3", "R4", "R5", "R6"]
summary = "every request and response method also works when called with a colon"
ext = ["G1"]
stdout = '''
ok
'''

[[step]]
send = 'POST /colon?x=1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nContent-Length: 10\r\n\r\nline1\nrest'
status = 201
headers = { "X-Colon" = "yes" }
body = 'ab\n5'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  assert(req:getURL() == "/colon?x=1", "getURL: " .. tostring(req:getURL()))
  assert(req:getMethod() == "POST", "getMethod: " .. tostring(req:getMethod()))
  assert(req:getRequestHeaders()["X-A"] == "1", "header X-A")
  assert(req:readLine() == "line1", "readLine")
  assert(req:read(2) == "re", "read(2)")
  assert(req:read() == "s", "read()")
  assert(req:readAll() == "t", "readAll")
  req:close()
  -- dot and colon calls can be mixed on the same handle
  res:setStatusCode(201)
  res.setResponseHeader("X-Colon", "no")
  res:setResponseHeader("X-Colon", "yes")
  res:write("a")
  res:writeLine("b")
  res.write(res, 5) -- same as res:write(5)
  res:close()
  return true
end)
print("ok")
