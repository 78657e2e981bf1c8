--[==[case
clauses = ["L6", "W5", "W7"]
summary = "messages sent (and a close) just before the script ends still reach the client, before the closing frame"
fix = ["L6"]
stdout = '''
bye
'''

[[ws]]
id = "a"
actions = [{ expect_text = 'you are a' }]

[[ws]]
id = "b"
actions = [
  { expect_text = 'last words for b' },
  { expect_binary = '\x00\xFF' },
  { expect_close = 1000 },
  { close = 1000 },
  { expect_eof = true },
]

[[ws]]
id = "a"
actions = [
  { expect_text = 'last words for a' },
  { expect_close = 'any', max_ms = 3000 },
  { close = 1001 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local a = server.listen()
a.send("you are a")
local b = server.listen()
a.send("last words for a")
b.send("last words for b")
b.send("\0\255", true)
b.close()
print("bye")
