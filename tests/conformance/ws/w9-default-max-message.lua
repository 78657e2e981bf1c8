--[==[case
clauses = ["W9", "W5"]
summary = "the default message limit is 131072 bytes, either way: exactly 131072 passes, 131073 is refused by send and closes an incoming connection with 1009"
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_binary = 'x', repeat = 131072 },
  { expect_binary = 'x', repeat = 131072 },
  { expect_text = 'y', repeat = 131072 },
  { send_binary = 'z', repeat = 131073 },
  { expect_close = 1009 },
  { close = 1009 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local server = assert(http.websocketServer(port))
local client = server.listen()
local msg, binary = client.receive()
assert(#msg == 131072 and binary, "received " .. #msg .. " bytes")
client.send(msg, true)
local err = E(function() client.send(("y"):rep(131073)) end)
assert(type(err) == "string" and err:find("Message is too large", 1, true), "send of 131073 bytes: " .. tostring(err))
client.send(("y"):rep(131072))
local _, _, reason, code = os.pullEvent("websocket_server_closed")
assert(code == 1009 and reason == "Message too large", ("closed: %q %s"):format(tostring(reason), tostring(code)))
print("ok")
