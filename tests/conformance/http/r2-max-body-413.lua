--[==[case
clauses = ["R2", "E2", "X22"]
summary = "bodies over --max-body get 413 Content Too Large (plain, chunked, or announced with Expect) and no event; exactly the limit is fine"
# 413 before the body is read: HTTP/1.1 framing
transports = ["tcp"]
runner_args = ["--max-body", "100"]
stdout = '''
ok
'''

[[step]]
send = 'POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
status = 413
reason = "Content Too Large"

[[step]]
send = 'POST /big-chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n96\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n0\r\n\r\n'
status = 413

[[step]]
send = 'POST /big-expect HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n'
status = 413

[[step]]
send = 'POST /exact HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\neeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'
status = 200
body = '100'

[[step]]
send = 'GET /done HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '2'
]==]
local port = tonumber(...)
http.addListener(port)
local events = 0
while true do
  local _, _, req, res = os.pullEvent("http_request")
  events = events + 1
  local url = req.getURL()
  if url == "/exact" then
    res.write(#req.readAll())
    res.close()
  elseif url == "/done" then
    res.write(events)
    res.close()
    break
  else
    res.setStatusCode(500)
    res.write("unexpected event for " .. url)
    res.close()
    error("unexpected event for " .. url)
  end
end
http.removeListener(port)
print("ok")
