--[==[case
clauses = ["W9", "W8", "G6"]
summary = "frames that break RFC 6455 (RSV bits, reserved opcode, stray continuation, fragmented or long control frame, new message inside a fragmented one, invalid close code) close that connection with 1002; the server goes on"
# RFC 6455 framing errors: the wire format, not the memory transport
transports = ["tcp"]
timeout = 20
stdout = '''
ok
'''

[[ws]]
actions = [{ send_frame = 'rsv', opcode = 'text', rsv = 4 }, { expect_close = 1002 }, { close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [{ send_frame = 'op3', opcode = 3 }, { expect_close = 1002 }, { close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [{ send_frame = 'op11', opcode = 11 }, { expect_close = 1002 }, { close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [{ send_frame = 'stray', opcode = 'continuation' }, { expect_close = 1002 }, { close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [{ send_frame = 'frag', opcode = 'ping', fin = false }, { expect_close = 1002 }, { close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [{ send_frame = 'p', opcode = 'ping', repeat = 126 }, { expect_close = 1002 }, { close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [
  { send_frame = 'first', opcode = 'text', fin = false },
  { send_frame = 'second', opcode = 'text' },
  { expect_close = 1002 },
  { close = 1002 },
  { expect_eof = true },
]

[[ws]]
actions = [{ send_frame = '\x03\xED', opcode = 'close' }, { expect_close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [{ send_frame = '\x03', opcode = 'close' }, { expect_close = 1002 }, { expect_eof = true }]

[[ws]]
actions = [
  { send_text = 'still serving?' },
  { expect_text = 'yes' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local closed, handles = 0, {}
while true do
  local ev, a, b = os.pullEvent()
  if ev == "websocket_server_connect" then
    handles[#handles + 1] = b
  elseif ev == "websocket_server_message" then
    assert(#handles == 10 and rawequal(a, handles[10].clientID) and b == "still serving?",
      ("a message event %q from client %d of 10"):format(tostring(b), #handles))
    assert(closed == 9, closed .. " of 9 broken connections closed")
    handles[10].send("yes")
  elseif ev == "websocket_server_closed" then
    closed = closed + 1
    if closed == 10 then break end
  end
end
print("ok")
