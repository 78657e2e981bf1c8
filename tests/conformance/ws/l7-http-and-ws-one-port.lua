--[==[case
clauses = ["L7", "W1", "R1"]
summary = "one port carries an HTTP listener and a websocket server: upgrades go to the websocket server, other requests to http_request"
ext = ["L7"]
stdout = '''
ok
'''

[[step]]
send = 'GET /plain HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'http /plain'

[[ws]]
path = "/plain"
actions = [
  { send_text = 'hello' },
  { expect_text = 'ws hello' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]

[[concurrent]]
count = 1
send = 'POST /after HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi'
status = 200
body = 'http /after'
]==]
local port = tonumber(...)
http.addListener(port)
local server, err = http.websocketServer(port)
assert(server, "websocketServer on a port with an HTTP listener: " .. tostring(err))
local requests, handles, wsDone = 0, {}, false
while requests < 2 do
  local ev, a, b, c = os.pullEvent()
  if ev == "http_request" then
    assert(a == port, "http_request port " .. tostring(a))
    requests = requests + 1
    assert(requests == 1 or wsDone, "the second HTTP request came before the websocket client closed")
    c.write("http " .. b.getURL())
    c.close()
  elseif ev == "websocket_server_connect" then
    assert(a == port and requests == 1, "websocket_server_connect out of order")
    handles[b.clientID] = b
  elseif ev == "websocket_server_message" then
    handles[a].send("ws " .. b)
  elseif ev == "websocket_server_closed" then
    wsDone = true
  end
end
print("ok")
