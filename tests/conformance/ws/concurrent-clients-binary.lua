--[==[case
clauses = ["E1", "W5", "W6", "G5"]
summary = "8 clients at once each send 25 binary messages with NUL and high bytes; the echoes come back in order as binary"
fix = ["G5"]
timeout = 30
stdout = '''
ok
'''

[[ws_concurrent]]
clients = 8
messages = 25
binary = true
send = '\x00\xFF{i}:{j}\x80'
expect = '\x00\xFF{i}:{j}\x80'
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local handles, closed = {}, 0
while closed < 8 do
  local ev, a, b, c = os.pullEvent()
  if ev == "websocket_server_connect" then
    handles[b.clientID] = b
  elseif ev == "websocket_server_message" then
    assert(c == true and b:match("^%z\255%d+:%d+\128$"), ("unexpected message %q"):format(b))
    handles[a].send(b, true)
  elseif ev == "websocket_server_closed" then
    closed = closed + 1
  end
end
print("ok")
