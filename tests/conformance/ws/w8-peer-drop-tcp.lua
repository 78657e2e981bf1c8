--[==[case
clauses = ["W8", "W6", "E1"]
summary = "a peer that drops TCP without a close frame gives websocket_server_closed(clientID) only, after its messages"
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_text = 'one' },
  { send_text = 'two' },
  { drop = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
assert(client.receive() == "one")
assert(client.receive() == "two")
local e = table.pack(os.pullEvent("websocket_server_closed"))
assert(rawequal(e[2], client.clientID), "closed event for another client")
assert(e.n == 2, ("websocket_server_closed has %d values: %s, %s"):format(e.n - 1, tostring(e[3]), tostring(e[4])))
assert(client.receive() == nil)
print("ok")
