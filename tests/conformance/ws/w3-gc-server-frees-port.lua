--[==[case
clauses = ["W3", "G6"]
summary = "garbage collection of an unclosed, unreachable server closes it: the port can be served again"
stdout = '''
ok
'''

[[ws]]
delay_ms = 300
actions = [
  { expect_text = 'second server' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local function lose() assert(http.websocketServer(port)) end
lose()
collectgarbage()
collectgarbage()
local server, err = http.websocketServer(port)
assert(server, "after collectgarbage(), websocketServer returned nil, " .. tostring(err))
local client = server.listen()
client.send("second server")
assert(client.receive() == nil)
print("ok")
