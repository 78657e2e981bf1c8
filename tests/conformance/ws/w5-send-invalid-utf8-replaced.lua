--[==[case
clauses = ["W5"]
summary = "text that is not valid UTF-8 is sent with each invalid sequence replaced by U+FFFD; binary frames carry the bytes unchanged"
fix = ["W5"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'a\xEF\xBF\xBDb' },
  { expect_text = '\xEF\xBF\xBD' },
  { expect_text = 'x\xEF\xBF\xBDy' },
  { expect_text = '\xEF\xBF\xBD\xEF\xBF\xBD' },
  { expect_text = '\xC3\xA9 ok' },
  { expect_binary = 'a\xFFb\xC3' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
-- (decimal escapes: Lua 5.1 has no \x)
client.send("a\255b")      -- a lone invalid byte
client.send("\195")        -- a sequence cut at the end
client.send("x\226\130y")  -- a truncated 3-byte sequence: one replacement
client.send("\128\128")    -- two stray continuation bytes: two replacements
client.send("\195\169 ok") -- valid UTF-8 is untouched
client.send("a\255b\195", true)
assert(client.receive() == nil)
print("ok")
