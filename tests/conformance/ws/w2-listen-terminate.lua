--[==[case
clauses = ["W2", "E4"]
summary = "terminate during server.listen() (with and without timeout) raises 'Terminated'; the server keeps working"
fix = ["E4"]
stdout = '''
ok
'''

[[ws]]
delay_ms = 500
actions = [
  { expect_text = 'after terminate' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
os.queueEvent("terminate")
local ok, err = pcall(server.listen)
assert(not ok and err == "Terminated", "listen() gave " .. tostring(ok) .. ", " .. tostring(err))
os.queueEvent("terminate")
ok, err = pcall(server.listen, 5)
assert(not ok and err == "Terminated", "listen(5) gave " .. tostring(ok) .. ", " .. tostring(err))
local client = server.listen(5)
assert(client, "no client after the terminates")
client.send("after terminate")
assert(client.receive() == nil)
print("ok")
