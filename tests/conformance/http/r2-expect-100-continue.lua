--[==[case
clauses = ["R2"]
summary = "a request with Expect: 100-continue is answered and its body reaches Lua"
stdout = '''
ok
'''

# The head alone first: the transport must ask for the body (100 Continue)
# and wait for it. The harness skips interim 1xx responses while reading
# (client.rs read_response), so step 2 reads past the 100 to the final
# response; a server that never asked would still answer once the body came,
# so what this pins is that the request is answered and its body arrives.
[[step]]
send = 'POST /expect HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n'
send_only = true

[[step]]
send = 'hello'
conn = "same"
delay_ms = 300
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
