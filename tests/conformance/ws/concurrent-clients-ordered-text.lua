--[==[case
clauses = ["E1", "W4", "W5", "W8"]
summary = "20 clients at once each send 50 text messages and get every echo back in order; every clientID is distinct; no message is lost"
timeout = 30
stdout = '''
ok
'''

[[ws_concurrent]]
clients = 20
messages = 50
send = 'client {i} message {j}'
expect = 'client {i} message {j}'
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local handles, seen, distinct, closed, messages = {}, {}, 0, 0, 0
while closed < 20 do
  local ev, a, b, c = os.pullEvent()
  if ev == "websocket_server_connect" then
    assert(handles[b.clientID] == nil, "a clientID was given twice")
    handles[b.clientID] = b
    distinct = distinct + 1
  elseif ev == "websocket_server_message" then
    local client = assert(handles[a], "message from an unknown clientID")
    local i, j = b:match("^client (%d+) message (%d+)$")
    assert(i and c == false, ("unexpected message %q"):format(b))
    local key = tostring(a)
    assert(seen[key] == nil or seen[key].i == i, "messages of two clients under one clientID")
    local expected = seen[key] and seen[key].j + 1 or 0
    assert(tonumber(j) == expected, ("client %s: message %s after %d"):format(i, j, expected - 1))
    seen[key] = { i = i, j = tonumber(j) }
    messages = messages + 1
    client.send(b)
  elseif ev == "websocket_server_closed" then
    assert(handles[a], "closed event for an unknown clientID")
    assert(seen[tostring(a)] and seen[tostring(a)].j == 49, "a client closed before its 50th message")
    closed = closed + 1
  end
end
assert(distinct == 20 and messages == 1000, distinct .. " clients, " .. messages .. " messages")
print("ok")
