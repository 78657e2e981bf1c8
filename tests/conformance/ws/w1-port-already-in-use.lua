--[==[case
clauses = ["W1", "W3", "G7"]
summary = "a second websocketServer of this computer on a port returns nil, 'Port already in use' (port given as number, string or float); after close() the port can be served again"
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'served by the second server' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local first = assert(http.websocketServer(port))
for _, p in ipairs({ port, tostring(port), port + 0.0 }) do
  local r = table.pack(http.websocketServer(p))
  assert(r.n == 2 and r[1] == nil and r[2] == "Port already in use",
    ("websocketServer(%q) again returned %d values: %s, %s"):format(tostring(p), r.n, tostring(r[1]), tostring(r[2])))
end
first.close()
local second, err = http.websocketServer(port)
assert(second, "after close(), websocketServer failed: " .. tostring(err))
local again, err2 = http.websocketServer(port)
assert(again == nil and err2 == "Port already in use", "third server: " .. tostring(err2))
local client = second.listen()
client.send("served by the second server")
assert(client.receive() == nil)
second.close()
print("ok")
