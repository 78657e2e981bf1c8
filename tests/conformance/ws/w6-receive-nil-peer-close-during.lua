--[==[case
clauses = ["W6", "W8", "G4"]
summary = "receive() waiting when the peer closes returns nil; afterwards receive is nil again and send raises 'attempt to use a closed file'"
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'waiting' },
  { sleep_ms = 300 },
  { close = 1000, reason = 'bye' },
  { expect_close = 'any' },
  { expect_eof = true },
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
local client = server.listen()
client.send("waiting")
local r = table.pack(client.receive())
assert(r[1] == nil, "receive returned " .. tostring(r[1]) .. " after the peer closed")
local t0 = os.epoch("utc")
assert(client.receive() == nil, "a second receive is not nil")
assert(client.receive(5) == nil, "receive(5) is not nil")
assert(os.epoch("utc") - t0 < 500, "receive after the peer's close waited")
expectErr(E(function() error("ref") end), E(function() client.send("x") end), "attempt to use a closed file")
client.close()
print("ok")
