--[==[case
clauses = ["W9", "W8"]
summary = "an incoming message over --ws-max-message closes the connection with 1009; the event says ('Message too large', 1009); a message of exactly the limit is fine"
runner_args = ["--ws-max-message", "16"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_binary = 'a', repeat = 16 },
  { expect_text = 'got 16' },
  { send_text = 'b', repeat = 17 },
  { expect_close = 1009 },
  { close = 1009 },
  { expect_eof = true },
]

[[ws]]
actions = [
  { send_binary = 'c', repeat = 1000 },
  { expect_close = 1009 },
  { close = 1009 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
for round = 1, 2 do
  local client = server.listen()
  if round == 1 then
    local msg = client.receive()
    client.send("got " .. #msg)
  end
  local e = table.pack(os.pullEvent("websocket_server_closed"))
  assert(rawequal(e[2], client.clientID), "closed event for another client")
  assert(e[3] == "Message too large" and e[4] == 1009,
    ("round %d: closed with %d values: %q %s"):format(round, e.n - 1, tostring(e[3]), tostring(e[4])))
  assert(client.receive() == nil)
end
print("ok")
