--[==[case
clauses = ["E2", "E1", "W9"]
summary = "with a small event bound and a script that stops pulling events for a while, websocket reads pause instead of dropping: every message of every client still arrives, in order"
fix = ["E2"]
runner_args = ["--event-bound", "4", "--io-threads", "1"]
timeout = 30
stdout = '''
ok
'''

[[ws_concurrent]]
clients = 3
messages = 200
send = '{i}/{j}'
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local handles, nextOf, closed, stalled = {}, {}, 0, false
while closed < 3 do
  local ev, a, b = os.pullEvent()
  if ev == "websocket_server_connect" then
    handles[b.clientID] = b
  elseif ev == "websocket_server_message" then
    if not stalled then
      -- stop pulling events for a second: far more than 4 messages arrive meanwhile
      stalled = true
      local t0 = os.epoch("utc")
      while os.epoch("utc") - t0 < 1000 do end
    end
    local i, j = b:match("^(%d+)/(%d+)$")
    local expected = nextOf[i] or 0
    assert(tonumber(j) == expected, ("client %s: message %s, expected %d"):format(i, j, expected))
    nextOf[i] = expected + 1
    handles[a].send(b)
  elseif ev == "websocket_server_closed" then
    closed = closed + 1
  end
end
for i = 0, 2 do
  assert(nextOf[tostring(i)] == 200, ("client %d: %s messages"):format(i, tostring(nextOf[tostring(i)])))
end
print("ok")
