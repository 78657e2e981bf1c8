--[==[case
clauses = ["E1", "W8", "W6"]
summary = "every websocket_server_message of a client comes, in order, before its websocket_server_closed (reason, code of the peer's close)"
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_text = 'm1' },
  { send_text = 'm2' },
  { send_text = 'm3' },
  { send_text = 'm4' },
  { send_text = 'm5' },
  { send_text = 'm6' },
  { send_text = 'm7' },
  { send_text = 'm8' },
  { send_text = 'm9' },
  { send_text = 'm10' },
  { send_text = 'm11' },
  { send_text = 'm12' },
  { send_text = 'm13' },
  { send_text = 'm14' },
  { send_text = 'm15' },
  { send_text = 'm16' },
  { send_text = 'm17' },
  { send_text = 'm18' },
  { send_text = 'm19' },
  { send_text = 'm20' },
  { send_text = 'm21' },
  { send_text = 'm22' },
  { send_text = 'm23' },
  { send_text = 'm24' },
  { send_text = 'm25' },
  { send_text = 'm26' },
  { send_text = 'm27' },
  { send_text = 'm28' },
  { send_text = 'm29' },
  { send_text = 'm30' },
  { send_binary = 'last\x00' },
  { close = 4000, reason = 'that is all' },
  { expect_close = 'any' },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
local n = 0
while true do
  local ev, id, a, b = os.pullEvent()
  if ev == "websocket_server_message" then
    assert(rawequal(id, client.clientID), "message for another client")
    n = n + 1
    if n <= 30 then
      assert(a == "m" .. n and b == false, ("message %d: %q %s"):format(n, tostring(a), tostring(b)))
    else
      assert(n == 31 and a == "last\0" and b == true, ("message %d: %q %s"):format(n, tostring(a), tostring(b)))
    end
  elseif ev == "websocket_server_closed" then
    assert(n == 31, "websocket_server_closed after " .. n .. " of 31 messages")
    assert(a == "that is all" and b == 4000, ("closed with %q %s"):format(tostring(a), tostring(b)))
    break
  end
end
print("ok")
