--[==[case
clauses = ["W7", "W8"]
summary = "client.close() with a peer that never replies: the connection ends and websocket_server_closed comes after about 1 s"
fix = ["W7"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'closing' },
  { expect_close = 1000, max_ms = 1000 },
  { expect_silence_ms = 700 },
  { expect_eof = true, max_ms = 2000 },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
client.send("closing")
client.close()
local t0 = os.epoch("utc")
local _, id = os.pullEvent("websocket_server_closed")
local waited = os.epoch("utc") - t0
assert(rawequal(id, client.clientID), "closed event for another client")
assert(waited >= 800 and waited < 3000, "websocket_server_closed came " .. waited .. " ms after close()")
print("ok")
