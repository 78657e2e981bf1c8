--[==[case
clauses = ["W4", "W7", "G6"]
summary = "garbage collection of an unreachable, unclosed client handle closes its connection (the peer gets a close frame); the server goes on"
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'about to be lost' },
  { expect_close = 'any' },
  { drop = true },
]

[[ws]]
actions = [
  { expect_text = 'still serving' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local function serveAndLose()
  local client = server.listen()
  client.send("about to be lost")
end
serveAndLose()
collectgarbage()
collectgarbage()
local timer = os.startTimer(5)
while true do
  local ev, a = os.pullEvent()
  if ev == "websocket_server_closed" then break end
  assert(not (ev == "timer" and a == timer), "no websocket_server_closed within 5 s of collectgarbage()")
end
local client = server.listen()
client.send("still serving")
assert(client.receive() == nil)
print("ok")
