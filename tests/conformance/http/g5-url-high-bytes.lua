--[==[case
clauses = ["G5", "R3"]
summary = "raw high bytes in a request-target are refused (400, RFC 9112) without an event; their percent-encoded form reaches getURL unchanged"
stdout = '''
ok
'''

# Deliberate deviation (ARCHITECTURE.md): the hyper transport follows HTTP's
# grammar, which has no raw bytes >= 0x80 in a request-target. Clients send
# them percent-encoded, and those bytes round-trip exactly.
[[step]]
send = 'GET /caf\xc3\xa9/\xff?q=\x80 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 400

[[step]]
send = 'GET /caf%C3%A9/%FF?q=%80%00 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/caf%C3%A9/%FF?q=%80%00'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local url = req.getURL()
  assert(url == "/caf%C3%A9/%FF?q=%80%00", ("getURL gave %q"):format(tostring(url)))
  res.write(url)
  res.close()
  return true
end)
print("ok")
