--[==[case
clauses = ["R3"]
summary = "getURL is the raw request-target: query kept, percent-escapes not decoded, path not normalized"
stdout = '''
ok
'''

[[step]]
send = 'GET /a%20b/%7e?x=%41&y=a+b&z= HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/a%20b/%7e?x=%41&y=a+b&z='

[[step]]
send = 'GET //double//slash/../dot/./x HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '//double//slash/../dot/./x'

[[step]]
send = 'GET /?q=%2F%3F%23%00 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/?q=%2F%3F%23%00'

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/'
]==]
local port = tonumber(...)
local served = 0
http.listen(port, function(req, res)
  res.write(req.getURL())
  res.close()
  served = served + 1
  return served == 4
end)
print("ok")
