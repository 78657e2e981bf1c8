--[==[case
clauses = ["W5", "W6", "W8"]
summary = "empty text and binary messages go both ways: receive gives '' with the right isBinary"
stdout = '''
ok
'''

[[ws]]
actions = [
  { send_text = '' },
  { send_binary = '' },
  { expect_text = '' },
  { expect_binary = '' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
local m1, b1 = client.receive()
local m2, b2 = client.receive()
assert(m1 == "" and b1 == false, ("first: %q %s"):format(tostring(m1), tostring(b1)))
assert(m2 == "" and b2 == true, ("second: %q %s"):format(tostring(m2), tostring(b2)))
client.send("")
client.send("", true)
assert(client.receive() == nil)
print("ok")
