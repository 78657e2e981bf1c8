--[==[case
clauses = ["W5", "G3"]
summary = "send takes strings and numbers (formatted as Lua does); the frame is binary iff the second argument is truthy"
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = '42' },
  { expect_text = '1.5' },
  { expect_text = '-7' },
  { expect_binary = '42' },
  { expect_binary = 'one' },
  { expect_binary = 'zero' },
  { expect_binary = 'table' },
  { expect_binary = 'string' },
  { expect_text = 'false' },
  { expect_text = 'nil' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
client.send(42)
client.send(1.5)
client.send(-7)
client.send(42, true)
client.send("one", 1)
client.send("zero", 0)
client.send("table", {})
client.send("string", "")
client.send("false", false)
client.send("nil", nil)
assert(client.receive() == nil)
print("ok")
