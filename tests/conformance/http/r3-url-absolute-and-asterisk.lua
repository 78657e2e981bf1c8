--[==[case
clauses = ["R3"]
summary = "getURL is the request-target as sent also in absolute-form and asterisk-form"
stdout = '''
ok
'''

[[step]]
send = 'GET http://example.test/abs?q=%41 HTTP/1.1\r\nHost: example.test\r\n\r\n'
status = 200
body = 'http://example.test/abs?q=%41'

[[step]]
send = 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '*'
]==]
local port = tonumber(...)
local served = 0
http.listen(port, function(req, res)
  res.write(req.getURL())
  res.close()
  served = served + 1
  return served == 2
end)
print("ok")
