--[==[case
clauses = ["G6", "H4", "L5"]
summary = "after a callback error ends http.listen, the same port can be listened on again and serves"
fix = ["H4"]
# the old keep-alive connection closed with its listener: a TCP matter
transports = ["tcp"]
stdout = '''
ok
'''

[[step]]
send = 'GET /boom HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500

# waits 500 ms on the old connection (closed when the listener went away), so
# that the next connection is made after the script listens again
[[step]]
send = 'GET /old-connection HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
delay_ms = 500
no_response = true

[[step]]
send = 'GET /again HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'again'
]==]
local port = tonumber(...)
local ok, err = pcall(http.listen, port, function(req, res)
  error("first listener fails")
end)
assert(not ok and type(err) == "string" and err:match("first listener fails$"), tostring(err))
http.listen(port, function(req, res)
  assert(req.getURL() == "/again", req.getURL())
  res.write("again")
  res.close()
  return true
end)
print("ok")
