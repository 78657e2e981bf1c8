--[==[case
clauses = ["W9", "W8"]
summary = "an incoming text message that is not UTF-8 (whole, or split across fragments) closes the connection with 1007 and no message event"
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_text = 'valid \xC3\xA9' },
  { expect_text = 'echo valid \xC3\xA9' },
  { send_text = 'a\xFFb' },
  { expect_close = 1007 },
  { close = 1007 },
  { expect_eof = true },
]

[[ws]]
actions = [
  { send_frame = 'ok\xC3', opcode = 'text', fin = false },
  { send_frame = '(', opcode = 'continuation' },
  { expect_close = 1007 },
  { close = 1007 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
for round = 1, 2 do
  local client = server.listen()
  if round == 1 then
    local msg = client.receive()
    client.send("echo " .. msg)
  end
  local ev, id, reason, code = os.pullEvent()
  while ev ~= "websocket_server_closed" do
    assert(ev ~= "websocket_server_message", ("round %d: a message event for the invalid text: %q"):format(round, tostring(reason)))
    ev, id, reason, code = os.pullEvent()
  end
  assert(rawequal(id, client.clientID), "closed event for another client")
  assert(code == 1007, ("round %d: closed with code %s (%s)"):format(round, tostring(code), tostring(reason)))
end
print("ok")
