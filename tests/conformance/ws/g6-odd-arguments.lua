--[==[case
clauses = ["G6", "W5", "W6", "W2"]
summary = "odd but legal arguments never crash: zero and negative timeouts return nil at once, huge timeouts are cancelled, binary flags of any truthy type"
stdout = '''
ok
'''

[[ws]]
delay_ms = 1000
actions = [
  { expect_binary = 'x' },
  { expect_text = 'still fine' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
assert(server.listen(0) == nil, "listen(0)")
assert(server.listen(-1) == nil, "listen(-1)")
local client = server.listen(1e9)
assert(client, "listen(1e9)")
assert(client.receive(0) == nil, "receive(0)")
assert(client.receive(-5) == nil, "receive(-5)")
local ok, err = pcall(client.send, "x", "y", "z")
assert(ok, "send with extra arguments: " .. tostring(err)) -- "y" is truthy: binary
client.send("still fine")
assert(client.receive(1e9) == nil)
print("ok")
