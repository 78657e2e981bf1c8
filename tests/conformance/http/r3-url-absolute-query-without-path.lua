--[==[case
clauses = ["R3"]
summary = "getURL keeps an absolute-form target as sent when it has a query and no path (no '/' added), and its authority's case"
# The gateway of --transport memory rebuilds targets with its own URI type.
transports = ["tcp"]
stdout = '''
ok
'''

[[step]]
send = 'GET http://Example.COM?q=1 HTTP/1.1\r\nHost: Example.COM\r\n\r\n'
status = 200
body = 'http://Example.COM?q=1'

[[step]]
send = 'GET http://Example.COM:8080?a=%41&b HTTP/1.1\r\nHost: Example.COM\r\n\r\n'
status = 200
body = 'http://Example.COM:8080?a=%41&b'
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
