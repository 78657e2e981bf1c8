--[==[case
clauses = ["W6", "W7", "G4", "G2"]
summary = "after client.close(): close again is a silent no-op; receive and send raise 'attempt to use a closed file'"
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_close = 1000, max_ms = 2000 },
  { close = 1000 },
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
assert(select("#", client.close()) == 0, "close returned values")
assert(select("#", client.close()) == 0, "a second close returned values")
local C = "attempt to use a closed file"
expectErr(E(function() error("ref") end), E(function() client.receive() end), C)
expectErr(E(function() error("ref") end), E(function() client.receive(1) end), C)
expectErr(E(function() error("ref") end), E(function() client.send("x") end), C)
expectErr(E(function() error("ref") end), E(function() client.send("x", true) end), C)
-- still closed once the close handshake is over
os.pullEvent("websocket_server_closed")
expectErr(E(function() error("ref") end), E(function() client.receive() end), C)
client.close()
print("ok")
