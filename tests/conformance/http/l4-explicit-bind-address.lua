--[==[case
clauses = ["L4"]
summary = "listeners bind the address given with --bind"
fix = ["L4"]
runner_args = ["--bind", "127.0.0.1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /bound HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'bound'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  res.write("bound")
  res.close()
  return true
end)
print("ok")
