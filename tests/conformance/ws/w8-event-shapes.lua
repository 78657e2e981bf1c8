--[==[case
clauses = ["W8", "W4", "E1"]
summary = "events: websocket_server_connect(port, handle), websocket_server_message(clientID, message, isBinary), websocket_server_closed(clientID, reason, code)"
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_text = 'text' },
  { send_binary = 'bin' },
  { close = 1001, reason = 'going away' },
  { expect_close = 'any' },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local e = table.pack(os.pullEvent("websocket_server_connect"))
assert(e.n == 3, "websocket_server_connect has " .. (e.n - 1) .. " values")
assert(type(e[2]) == "number" and e[2] == port and e[2] == math.floor(e[2]), "port " .. tostring(e[2]))
local client = e[3]
assert(type(client) == "table" and type(client.send) == "function", "handle is a " .. type(client))
local id = client.clientID
assert(type(id) == "userdata", "clientID is a " .. type(id))
e = table.pack(os.pullEvent("websocket_server_message"))
assert(e.n == 4 and rawequal(e[2], id) and e[3] == "text" and e[4] == false, "text message event")
e = table.pack(os.pullEvent("websocket_server_message"))
assert(e.n == 4 and rawequal(e[2], id) and e[3] == "bin" and e[4] == true, "binary message event")
e = table.pack(os.pullEvent("websocket_server_closed"))
assert(e.n == 4 and rawequal(e[2], id), "closed event with " .. (e.n - 1) .. " values")
assert(e[3] == "going away" and e[4] == 1001, ("closed: %q %s"):format(tostring(e[3]), tostring(e[4])))
assert(type(e[4]) == "number")
print("ok")
