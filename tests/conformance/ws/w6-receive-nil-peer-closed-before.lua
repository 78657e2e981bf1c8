--[==[case
clauses = ["W6", "W8", "G4"]
summary = "receive() called after the peer closed (close frame, or TCP dropped) returns nil at once; send raises 'attempt to use a closed file'"
fix = ["W6"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { close = 4000, reason = 'gone' },
  { expect_close = 'any' },
  { expect_eof = true },
]

[[ws]]
delay_ms = 200
actions = [
  { sleep_ms = 200 },
  { drop = true },
]
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local function expectErr(ref, err, msg)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if not where then error("reference error has no position: " .. tostring(ref), 2) end
  if err ~= where .. msg then error(("expected %q, got %q"):format(where .. msg, err), 2) end
end
local server = assert(http.websocketServer(port))
for round = 1, 2 do
  local client = server.listen()
  local _, id = os.pullEvent("websocket_server_closed")
  assert(rawequal(id, client.clientID), "closed event for another client")
  local t0 = os.epoch("utc")
  local r = table.pack(client.receive())
  assert(r[1] == nil, ("round %d: receive returned %q"):format(round, tostring(r[1])))
  assert(client.receive(5) == nil, "receive(5) is not nil")
  assert(os.epoch("utc") - t0 < 500, "receive after the peer's close waited")
  expectErr(E(function() error("ref") end), E(function() client.send("x") end), "attempt to use a closed file")
  client.close()
end
print("ok")
