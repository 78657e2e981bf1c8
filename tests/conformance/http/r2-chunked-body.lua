--[==[case
clauses = ["R2", "S3"]
summary = "a chunked request body reaches Lua de-chunked, extensions and trailers dropped"
stdout = '''
ok
'''

[[step]]
send = 'POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4;ext=1\r\ndefg\r\n5\r\nx\r\ny\n\r\n0\r\nX-Trailer: t\r\n\r\n'
status = 200
headers = { "Content-Length" = "12" }
headers_absent = ["Transfer-Encoding"]
body = 'abcdefgx\r\ny\n'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local body = req.readAll()
  assert(body == "abcdefgx\r\ny\n", ("body is %q"):format(tostring(body)))
  res.write(body)
  res.close()
  return true
end)
print("ok")
