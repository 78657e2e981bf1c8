--[==[case
clauses = ["W9", "W8"]
summary = "a client frame that is not masked is a protocol error (RFC 6455 5.1: the server MUST close the connection): close 1002 and no message event"
# frame masking: the wire format, not the memory transport
transports = ["tcp"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_frame = 'unmasked', opcode = 'text', mask = false },
  { expect_close = 1002 },
  { close = 1002 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
local ev, id, msg = os.pullEvent()
while ev ~= "websocket_server_closed" do
  assert(ev ~= "websocket_server_message", ("the unmasked frame made a message event %q"):format(tostring(msg)))
  ev, id, msg = os.pullEvent()
end
print("ok")
