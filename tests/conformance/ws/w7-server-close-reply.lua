--[==[case
clauses = ["W7", "W8"]
summary = "client.close() sends a close frame 1000 at once; websocket_server_closed then carries the peer's reply (reason, code)"
fix = ["W7"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'closing' },
  { expect_close = 1000, max_ms = 1000 },
  { sleep_ms = 200 },
  { close = 4001, reason = 'see you' },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
client.send("closing")
client.close()
local t0 = os.epoch("utc")
local e = table.pack(os.pullEvent("websocket_server_closed"))
assert(rawequal(e[2], client.clientID), "closed event for another client")
assert(e.n == 4, "websocket_server_closed has " .. (e.n - 1) .. " values")
assert(e[3] == "see you" and e[4] == 4001, ("reason %q, code %s"):format(tostring(e[3]), tostring(e[4])))
local waited = os.epoch("utc") - t0
assert(waited >= 150 and waited < 950, "the event came " .. waited .. " ms after close(), not when the reply came")
print("ok")
