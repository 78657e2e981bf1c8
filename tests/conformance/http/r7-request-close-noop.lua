--[==[case
clauses = ["R7"]
summary = "request.close() does nothing and never errors, before or after the response is closed"
stdout = '''
ok
'''

[[step]]
send = 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody'
status = 200
body = '/c body'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  assert(pcall(req.close), "close raised")
  assert(pcall(req.close), "second close raised")
  -- the request is still fully usable
  local url, body = req.getURL(), req.readAll()
  assert(req.getMethod() == "POST")
  assert(req.getRequestHeaders()["Content-Length"] == "4")
  res.write(url .. " " .. tostring(body))
  res.close()
  local ok, err = pcall(req.close)
  assert(ok, "close after res.close raised " .. tostring(err))
  return true
end)
print("ok")
