--[==[case
clauses = ["S6", "R2", "G6"]
summary = "response.close() succeeds silently when the client has already gone away"
stdout = '''
ok
'''

[[step]]
send = 'POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc'
close = true

[[step]]
send = 'GET /done HTTP/1.1\r\nHost: x\r\n\r\n'
delay_ms = 500
status = 200
body = 'gone request closed fine'
]==]
local port = tonumber(...)
http.addListener(port)
local goneRes
while true do
  local _, _, req, res = os.pullEvent("http_request")
  local url = req.getURL()
  if url == "/gone" then
    assert(req.readAll() == "abc")
    goneRes = res -- answer it later, once the client is surely gone
  else
    assert(goneRes, "no event for the request whose client went away")
    goneRes.setStatusCode(201)
    goneRes.write("nobody reads this")
    local ok, err = pcall(goneRes.close)
    assert(ok, "close raised " .. tostring(err))
    res.write("gone request closed fine")
    res.close()
    break
  end
end
http.removeListener(port)
print("ok")
