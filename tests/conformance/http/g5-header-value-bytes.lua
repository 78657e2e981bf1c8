--[==[case
clauses = ["G5", "R4", "S5"]
summary = "high bytes and inner tabs in header values reach Lua unchanged and go back out unchanged"
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\nX-Bin: a\tb\xff\x80c\xc3\xa9\r\n\r\n'
status = 200
headers = { "X-Echo" = 'a\tb\xff\x80c\xc3\xa9', "X-High" = '\xfe\x81' }
body = 'a\tb\xff\x80c\xc3\xa9'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local v = req.getRequestHeaders()["X-Bin"]
  assert(v == "a\tb\255\128c\195\169", ("X-Bin is %q"):format(tostring(v)))
  res.setResponseHeader("X-Echo", v)
  res.setResponseHeader("X-High", "\254\129")
  res.write(v)
  res.close()
  return true
end)
print("ok")
