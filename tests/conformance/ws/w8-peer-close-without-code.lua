--[==[case
clauses = ["W8", "W6"]
summary = "a peer close frame without a code gives websocket_server_closed(clientID) with no reason or code"
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_text = 'before' },
  { close = 'no code' },
  { expect_close = 'any' },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
assert(client.receive() == "before")
local e = table.pack(os.pullEvent("websocket_server_closed"))
assert(rawequal(e[2], client.clientID), "closed event for another client")
assert(e.n == 2, ("websocket_server_closed has %d values: %s, %s"):format(e.n - 1, tostring(e[3]), tostring(e[4])))
print("ok")
