--[==[case
clauses = ["S3", "S1"]
summary = "output is buffered until close: status and headers set after write apply; Content-Length, no chunking, no default Content-Type"
stdout = '''
ok
'''

[[step]]
send = 'GET /plain HTTP/1.1\r\nHost: x\r\n\r\n'
status = 202
headers = { "Content-Length" = "5", "X-Late" = "set after write" }
headers_absent = ["Transfer-Encoding", "Content-Type"]
body = 'hello'

[[step]]
send = 'GET /typed HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
status = 200
headers = { "Content-Type" = "application/json", "Content-Length" = "2" }
headers_absent = ["Transfer-Encoding"]
body = '{}'

[[step]]
send = 'GET /empty HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
status = 200
headers = { "Content-Length" = "0" }
headers_absent = ["Transfer-Encoding", "Content-Type"]
body = ''

[[step]]
send = 'GET /large HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
status = 200
headers = { "Content-Length" = "1000000" }
headers_absent = ["Transfer-Encoding", "Content-Type"]
body_contains = ["0123456789"]
]==]
-- Date (also required by S3) cannot be checked here: the case format checks
-- header values exactly, and a Date value is not known in advance.
local port = tonumber(...)
http.listen(port, function(req, res)
  local url = req.getURL()
  if url == "/plain" then
    res.write("hel")
    res.write("lo")
    res.setStatusCode(202)
    res.setResponseHeader("X-Late", "set after write")
  elseif url == "/typed" then
    res.write("{}")
    res.setResponseHeader("Content-Type", "application/json")
  elseif url == "/large" then
    local piece = string.rep("0123456789", 100)
    for _ = 1, 1000 do res.write(piece) end
  end
  res.close()
  return url == "/large"
end)
print("ok")
