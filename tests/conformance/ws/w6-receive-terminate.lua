--[==[case
clauses = ["W6", "E4"]
summary = "terminate during client.receive() (with and without timeout) raises 'Terminated'; the client keeps working"
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'after terminate' },
  { send_text = 'still open' },
  { expect_text = 'got still open' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
os.queueEvent("terminate")
local ok, err = pcall(client.receive)
assert(not ok and err == "Terminated", "receive() gave " .. tostring(ok) .. ", " .. tostring(err))
os.queueEvent("terminate")
ok, err = pcall(client.receive, 5)
assert(not ok and err == "Terminated", "receive(5) gave " .. tostring(ok) .. ", " .. tostring(err))
client.send("after terminate")
local msg = client.receive(5)
client.send("got " .. tostring(msg))
assert(client.receive() == nil)
print("ok")
