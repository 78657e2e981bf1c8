--[==[case
clauses = ["W11", "E3", "W5", "X22"]
summary = "with --ws-max-outbox 1000, send to a client that does not read waits (16 MiB for a client that reads only after 1.5 s take over 0.5 s to send), then every message arrives whole and in order; a client that goes while send waits makes it raise 'attempt to use a closed file'"
fix = ["W11"]
runner_args = ["--ws-max-outbox", "1000"]
timeout = 30
stdout = '''
send waited
attempt to use a closed file
'''

[[ws]]
actions = [
  { sleep_ms = 1500 },
  { expect_binary = '\x00', repeat = 131072 },
  { expect_binary = '\x01', repeat = 131072 },
  { expect_binary = '\x02', repeat = 131072 },
  { expect_binary = '\x03', repeat = 131072 },
  { expect_binary = '\x04', repeat = 131072 },
  { expect_binary = '\x05', repeat = 131072 },
  { expect_binary = '\x06', repeat = 131072 },
  { expect_binary = '\x07', repeat = 131072 },
  { expect_binary = '\x08', repeat = 131072 },
  { expect_binary = '\x09', repeat = 131072 },
  { expect_binary = '\x0A', repeat = 131072 },
  { expect_binary = '\x0B', repeat = 131072 },
  { expect_binary = '\x0C', repeat = 131072 },
  { expect_binary = '\x0D', repeat = 131072 },
  { expect_binary = '\x0E', repeat = 131072 },
  { expect_binary = '\x0F', repeat = 131072 },
  { expect_binary = '\x10', repeat = 131072 },
  { expect_binary = '\x11', repeat = 131072 },
  { expect_binary = '\x12', repeat = 131072 },
  { expect_binary = '\x13', repeat = 131072 },
  { expect_binary = '\x14', repeat = 131072 },
  { expect_binary = '\x15', repeat = 131072 },
  { expect_binary = '\x16', repeat = 131072 },
  { expect_binary = '\x17', repeat = 131072 },
  { expect_binary = '\x18', repeat = 131072 },
  { expect_binary = '\x19', repeat = 131072 },
  { expect_binary = '\x1A', repeat = 131072 },
  { expect_binary = '\x1B', repeat = 131072 },
  { expect_binary = '\x1C', repeat = 131072 },
  { expect_binary = '\x1D', repeat = 131072 },
  { expect_binary = '\x1E', repeat = 131072 },
  { expect_binary = '\x1F', repeat = 131072 },
  { expect_binary = '\x20', repeat = 131072 },
  { expect_binary = '\x21', repeat = 131072 },
  { expect_binary = '\x22', repeat = 131072 },
  { expect_binary = '\x23', repeat = 131072 },
  { expect_binary = '\x24', repeat = 131072 },
  { expect_binary = '\x25', repeat = 131072 },
  { expect_binary = '\x26', repeat = 131072 },
  { expect_binary = '\x27', repeat = 131072 },
  { expect_binary = '\x28', repeat = 131072 },
  { expect_binary = '\x29', repeat = 131072 },
  { expect_binary = '\x2A', repeat = 131072 },
  { expect_binary = '\x2B', repeat = 131072 },
  { expect_binary = '\x2C', repeat = 131072 },
  { expect_binary = '\x2D', repeat = 131072 },
  { expect_binary = '\x2E', repeat = 131072 },
  { expect_binary = '\x2F', repeat = 131072 },
  { expect_binary = '\x30', repeat = 131072 },
  { expect_binary = '\x31', repeat = 131072 },
  { expect_binary = '\x32', repeat = 131072 },
  { expect_binary = '\x33', repeat = 131072 },
  { expect_binary = '\x34', repeat = 131072 },
  { expect_binary = '\x35', repeat = 131072 },
  { expect_binary = '\x36', repeat = 131072 },
  { expect_binary = '\x37', repeat = 131072 },
  { expect_binary = '\x38', repeat = 131072 },
  { expect_binary = '\x39', repeat = 131072 },
  { expect_binary = '\x3A', repeat = 131072 },
  { expect_binary = '\x3B', repeat = 131072 },
  { expect_binary = '\x3C', repeat = 131072 },
  { expect_binary = '\x3D', repeat = 131072 },
  { expect_binary = '\x3E', repeat = 131072 },
  { expect_binary = '\x3F', repeat = 131072 },
  { expect_binary = '\x40', repeat = 131072 },
  { expect_binary = '\x41', repeat = 131072 },
  { expect_binary = '\x42', repeat = 131072 },
  { expect_binary = '\x43', repeat = 131072 },
  { expect_binary = '\x44', repeat = 131072 },
  { expect_binary = '\x45', repeat = 131072 },
  { expect_binary = '\x46', repeat = 131072 },
  { expect_binary = '\x47', repeat = 131072 },
  { expect_binary = '\x48', repeat = 131072 },
  { expect_binary = '\x49', repeat = 131072 },
  { expect_binary = '\x4A', repeat = 131072 },
  { expect_binary = '\x4B', repeat = 131072 },
  { expect_binary = '\x4C', repeat = 131072 },
  { expect_binary = '\x4D', repeat = 131072 },
  { expect_binary = '\x4E', repeat = 131072 },
  { expect_binary = '\x4F', repeat = 131072 },
  { expect_binary = '\x50', repeat = 131072 },
  { expect_binary = '\x51', repeat = 131072 },
  { expect_binary = '\x52', repeat = 131072 },
  { expect_binary = '\x53', repeat = 131072 },
  { expect_binary = '\x54', repeat = 131072 },
  { expect_binary = '\x55', repeat = 131072 },
  { expect_binary = '\x56', repeat = 131072 },
  { expect_binary = '\x57', repeat = 131072 },
  { expect_binary = '\x58', repeat = 131072 },
  { expect_binary = '\x59', repeat = 131072 },
  { expect_binary = '\x5A', repeat = 131072 },
  { expect_binary = '\x5B', repeat = 131072 },
  { expect_binary = '\x5C', repeat = 131072 },
  { expect_binary = '\x5D', repeat = 131072 },
  { expect_binary = '\x5E', repeat = 131072 },
  { expect_binary = '\x5F', repeat = 131072 },
  { expect_binary = '\x60', repeat = 131072 },
  { expect_binary = '\x61', repeat = 131072 },
  { expect_binary = '\x62', repeat = 131072 },
  { expect_binary = '\x63', repeat = 131072 },
  { expect_binary = '\x64', repeat = 131072 },
  { expect_binary = '\x65', repeat = 131072 },
  { expect_binary = '\x66', repeat = 131072 },
  { expect_binary = '\x67', repeat = 131072 },
  { expect_binary = '\x68', repeat = 131072 },
  { expect_binary = '\x69', repeat = 131072 },
  { expect_binary = '\x6A', repeat = 131072 },
  { expect_binary = '\x6B', repeat = 131072 },
  { expect_binary = '\x6C', repeat = 131072 },
  { expect_binary = '\x6D', repeat = 131072 },
  { expect_binary = '\x6E', repeat = 131072 },
  { expect_binary = '\x6F', repeat = 131072 },
  { expect_binary = '\x70', repeat = 131072 },
  { expect_binary = '\x71', repeat = 131072 },
  { expect_binary = '\x72', repeat = 131072 },
  { expect_binary = '\x73', repeat = 131072 },
  { expect_binary = '\x74', repeat = 131072 },
  { expect_binary = '\x75', repeat = 131072 },
  { expect_binary = '\x76', repeat = 131072 },
  { expect_binary = '\x77', repeat = 131072 },
  { expect_binary = '\x78', repeat = 131072 },
  { expect_binary = '\x79', repeat = 131072 },
  { expect_binary = '\x7A', repeat = 131072 },
  { expect_binary = '\x7B', repeat = 131072 },
  { expect_binary = '\x7C', repeat = 131072 },
  { expect_binary = '\x7D', repeat = 131072 },
  { expect_binary = '\x7E', repeat = 131072 },
  { expect_binary = '\x7F', repeat = 131072 },
  { close = 1000 },
  { expect_close = 1000 },
]

[[ws]]
actions = [
  { sleep_ms = 300 },
  { drop = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen(5)
local started = os.epoch("utc")
for i = 0, 127 do client.send(string.rep(string.char(i), 131072), true) end
local took = os.epoch("utc") - started
print(took >= 500 and "send waited" or ("send took " .. took .. " ms"))
-- The client closes: receive sees it.
assert(client.receive(5) == nil)

local other = server.listen(5)
local big = string.rep("x", 131072)
local ok, err = pcall(function()
  for _ = 1, 2000 do other.send(big, true) end
end)
print(ok and "all sent" or err:match("attempt to use a closed file") or err)
server.close()
