--[==[case
clauses = ["L7", "W2"]
summary = "a port with only a websocket server answers plain HTTP requests at once with 426 Upgrade Required, and makes no event for them"
fix = ["L7"]
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 426
reason = 'Upgrade Required'
max_ms = 2000

[[step]]
send = 'POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'
status = 426
reason = 'Upgrade Required'
max_ms = 2000

[[ws]]
actions = [
  { expect_text = 'first event was the connect' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local ev, a, client = os.pullEvent()
assert(ev == "websocket_server_connect", "first event: " .. tostring(ev))
client.send("first event was the connect")
assert(client.receive() == nil)
print("ok")
