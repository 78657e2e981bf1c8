--[==[case
clauses = ["W9", "W6", "W5"]
summary = "fragmented messages (with pings between fragments, empty fragments, UTF-8 split across fragments) arrive as one message"
fix = ["W9"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_frame = 'hel', opcode = 'text', fin = false },
  { send_frame = 'lo', opcode = 'continuation' },
  { expect_text = '[hello]' },
  { send_frame = '\x00\xFF', opcode = 'binary', fin = false },
  { ping = 'between' },
  { expect_pong = 'between' },
  { send_frame = '\x01', opcode = 'continuation', fin = false },
  { send_frame = '', opcode = 'continuation', fin = false },
  { send_frame = '\x02', opcode = 'continuation' },
  { expect_binary = '[\x00\xFF\x01\x02]' },
  { send_frame = 'caf\xC3', opcode = 'text', fin = false },
  { send_frame = '\xA9', opcode = 'continuation' },
  { expect_text = '[caf\xC3\xA9]' },
  { send_frame = '', opcode = 'text', fin = false },
  { send_frame = '', opcode = 'continuation' },
  { expect_text = '[]' },
  { send_frame = 'x', opcode = 'binary', repeat = 5000, fin = false },
  { send_frame = 'y', opcode = 'continuation', repeat = 5000 },
  { expect_text = 'long 10000' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
for _ = 1, 4 do
  local msg, binary = client.receive()
  client.send("[" .. msg .. "]", binary)
end
local msg, binary = client.receive()
assert(binary and msg == ("x"):rep(5000) .. ("y"):rep(5000), "long fragmented message: " .. #msg .. " bytes")
client.send("long " .. #msg)
assert(client.receive() == nil)
print("ok")
