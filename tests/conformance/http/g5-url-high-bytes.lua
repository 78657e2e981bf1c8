--[==[case
clauses = ["G5", "R3"]
summary = "high bytes sent raw in the request-target reach getURL unchanged"
stdout = '''
ok
'''

[[step]]
send = 'GET /caf\xc3\xa9/\xff?q=\x80 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/caf\xc3\xa9/\xff?q=\x80'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local url = req.getURL()
  assert(url == "/caf\195\169/\255?q=\128", ("getURL gave %q"):format(tostring(url)))
  res.write(url)
  res.close()
  return true
end)
print("ok")
