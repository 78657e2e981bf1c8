--[==[case
clauses = ["W5"]
summary = "text that is not valid UTF-8 is sent with each invalid sequence replaced by U+FFFD; binary frames carry the bytes unchanged"
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
client.send("a\xffb")      -- a lone invalid byte
client.send("\xc3")        -- a sequence cut at the end
client.send("x\xe2\x82y")  -- a truncated 3-byte sequence: one replacement
client.send("\x80\x80")    -- two stray continuation bytes: two replacements
client.send("\xc3\xa9 ok") -- valid UTF-8 is untouched
client.send("a\xffb\xc3", true)
assert(client.receive() == nil)
print("ok")
