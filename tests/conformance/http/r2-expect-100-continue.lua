--[==[case
clauses = ["R2"]
summary = "a request with Expect: 100-continue is answered and its body reaches Lua"
stdout = '''
ok
'''

# the head alone: the transport must ask for the body with 100 Continue
[[step]]
send = 'POST /expect HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n'
status = 100

[[step]]
send = 'hello'
conn = "same"
status = 200
body = 'hello'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local body = req.readAll()
  assert(body == "hello", ("body is %q"):format(tostring(body)))
  res.write(body)
  res.close()
  return true
end)
print("ok")
