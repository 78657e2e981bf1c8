--[==[case
clauses = ["L6", "X1"]
summary = "when the script ends, its connected websocket clients get a close frame 1001 and the runner exits 0"
fix = ["L6"]
stdout = '''
bye
'''

[[ws]]
actions = [
  { expect_text = 'bye soon' },
  { expect_close = 1001, max_ms = 3000 },
  { close = 1001 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
client.send("bye soon")
sleep(0.3) -- the message is surely out; the client is connected and idle
print("bye")
