--[==[case
clauses = ["H4"]
summary = "a callback that closed its response before raising: the client gets that response, not a 500"
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'fine'
]==]
local port = tonumber(...)
local ok, err = pcall(http.listen, port, function(req, res)
  res.write("fine")
  res.close()
  error("late failure")
end)
assert(not ok and type(err) == "string" and err:match("^[^\n]+:%d+: late failure$"), tostring(err))
print("ok")
