--[==[case
clauses = ["W2", "W4", "G1"]
summary = "server.listen() returns the next client's handle: a table with send, receive, close and clientID"
stdout = '''
ok
'''

[[ws]]
path = "/chat"
actions = [
  { expect_text = 'hello' },
  { send_text = 'ping?' },
  { expect_text = 'got ping?' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
assert(type(server) == "table", "server is a " .. type(server))
assert(type(server.listen) == "function" and type(server.close) == "function", "server lacks listen/close")
local client = server.listen()
assert(type(client) == "table", "client is a " .. type(client))
for _, name in ipairs({ "send", "receive", "close" }) do
  assert(type(client[name]) == "function", "client." .. name .. " is a " .. type(client[name]))
end
assert(type(client.clientID) == "userdata", "clientID is a " .. type(client.clientID))
client.send("hello")
local msg, binary = client.receive()
assert(msg == "ping?" and binary == false, ("receive gave %q, %s"):format(tostring(msg), tostring(binary)))
client.send("got " .. msg)
assert(client.receive() == nil, "receive after the peer's close is not nil")
server.close()
print("ok")
