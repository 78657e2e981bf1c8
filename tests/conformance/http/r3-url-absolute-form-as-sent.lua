--[==[case
clauses = ["R3"]
summary = "getURL is an absolute-form target exactly as sent: no '/' added to an empty path, the scheme's and authority's case kept"
# The gateway of --transport memory rebuilds targets with its own URI type.
transports = ["tcp"]
stdout = '''
ok
'''

[[step]]
send = 'GET http://Example.COM HTTP/1.1\r\nHost: Example.COM\r\n\r\n'
status = 200
body = 'http://Example.COM'

[[step]]
conn = "same"
send = 'GET http://Example.COM?q=1 HTTP/1.1\r\nHost: Example.COM\r\n\r\n'
status = 200
body = 'http://Example.COM?q=1'

[[step]]
conn = "same"
send = 'POST HTTP://Example.COM:8080 HTTP/1.1\r\nHost: Example.COM\r\nContent-Length: 30\r\n\r\nGET http://Example.COM/ HTTP/1'
status = 200
body = 'HTTP://Example.COM:8080'

[[step]]
send = 'GET Http://Example.COM/a/../b?a=%41&b HTTP/1.1\r\nHost: Example.COM\r\n\r\n'
status = 200
body = 'Http://Example.COM/a/../b?a=%41&b'

[[step]]
send = 'GET http://Example.COM/ HTTP/1.1\r\nHost: Example.COM\r\n\r\n'
status = 200
body = 'http://Example.COM/'
]==]
local port = tonumber(...)
local served = 0
http.listen(port, function(req, res)
  res.write(req.getURL())
  res.close()
  served = served + 1
  return served == 5
end)
print("ok")
