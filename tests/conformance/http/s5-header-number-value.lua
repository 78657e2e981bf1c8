--[==[case
clauses = ["S5", "G7"]
summary = "a number as header value is sent as Lua formats it (CraftOS-PC takes it with luaL_checkstring)"
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers = { "X-Num" = "42", "X-Float" = "1.5" }
body = 'n'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  res.setResponseHeader("X-Num", 42)
  res.setResponseHeader("X-Float", 1.5)
  res.write("n")
  res.close()
  return true
end)
print("ok")
