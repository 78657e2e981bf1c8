--[==[case
clauses = ["W3", "W2"]
summary = "server.close() stops accepting (new connections refused) while a client already connected keeps working"
stdout = '''
ok
'''

[[ws]]
id = "a"
actions = [
  { expect_text = 'server closed' },
]

[[ws]]
refused = true

[[ws]]
id = "a"
actions = [
  { send_text = 'still here' },
  { expect_text = 'echo: still here' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
server.close()
client.send("server closed")
local msg = client.receive(5)
assert(msg == "still here", "received " .. tostring(msg))
client.send("echo: " .. msg)
assert(client.receive() == nil)
print("ok")
