--[==[case
clauses = ["G1", "W4", "W2"]
summary = "websocket server and client handles also work with colon calls"
ext = ["G1"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'colon' },
  { send_binary = '\x00bin' },
  { expect_binary = '\x00bin' },
  { expect_close = 1000 },
  { close = 1000 },
  { sleep_ms = 200 },
  { drop = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server:listen(5)
assert(client, "server:listen(5) returned nil")
client:send("colon")
local msg, binary = client:receive(5)
assert(msg == "\0bin" and binary == true, "client:receive(5) gave " .. tostring(msg))
client:send(msg, true)
client:close()
server:close()
os.pullEvent("websocket_server_closed") -- let the close handshake finish before the script ends
print("ok")
