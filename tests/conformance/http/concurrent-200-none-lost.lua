--[==[case
clauses = ["H5", "E1", "E2", "R3", "R4"]
summary = "200 simultaneous requests each get their own URL and header echoed back; none is lost or mixed up"
timeout = 10
stdout = '''
ok
'''

[[concurrent]]
count = 200
send = 'GET /{i} HTTP/1.1\r\nHost: x\r\nX-Id: id-{i}\r\nConnection: close\r\n\r\n'
status = 200
body = '/{i} id-{i}'
]==]
local port = tonumber(...)
local count = 0
http.listen(port, function(req, res)
  count = count + 1
  res.write(req.getURL() .. " " .. tostring(req.getRequestHeaders()["X-Id"]))
  res.close()
  return count == 200
end)
print("ok")
