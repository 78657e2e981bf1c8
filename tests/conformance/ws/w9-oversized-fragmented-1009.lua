--[==[case
clauses = ["W9", "W8"]
summary = "a fragmented message whose fragments are each under the limit but whose total is over it closes with 1009"
fix = ["W9"]
runner_args = ["--ws-max-message", "16"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_frame = 'a', repeat = 8, opcode = 'text', fin = false },
  { send_frame = 'b', repeat = 8, opcode = 'continuation' },
  { expect_text = 'got 16' },
  { send_frame = 'a', repeat = 10, opcode = 'binary', fin = false },
  { send_frame = 'b', repeat = 7, opcode = 'continuation' },
  { expect_close = 1009 },
  { close = 1009 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
local msg = client.receive()
client.send("got " .. #msg)
local e = table.pack(os.pullEvent("websocket_server_closed"))
assert(e[3] == "Message too large" and e[4] == 1009, ("closed: %q %s"):format(tostring(e[3]), tostring(e[4])))
print("ok")
