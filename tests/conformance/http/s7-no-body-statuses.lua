--[==[case
clauses = ["S7", "S3"]
summary = "HEAD, 204 and 304 responses carry no body even if the script wrote one; the keep-alive connection stays in sync"
stdout = '''
ok
'''

[[step]]
send = 'HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n'
head = true
status = 200
headers = { "X-Kind" = "head" }

[[step]]
send = 'GET /204 HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
status = 204
headers = { "X-Kind" = "204" }
body = ''

[[step]]
send = 'GET /304 HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
status = 304
headers = { "X-Kind" = "304" }
body = ''

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
status = 200
headers = { "X-Kind" = "after" }
body = 'after'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local url = req.getURL()
  if url == "/head" then
    res.setResponseHeader("X-Kind", "head")
    res.write("hello")
  elseif url == "/204" then
    res.setResponseHeader("X-Kind", "204")
    res.write("abc")
    res.setStatusCode(204)
  elseif url == "/304" then
    res.setResponseHeader("X-Kind", "304")
    res.write("abc")
    res.setStatusCode(304)
  else
    res.setResponseHeader("X-Kind", "after")
    res.write("after")
  end
  res.close()
  return url == "/after"
end)
print("ok")
