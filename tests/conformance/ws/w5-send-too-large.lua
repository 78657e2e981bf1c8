--[==[case
clauses = ["W5", "G4", "G2"]
summary = "send of a message over --ws-max-message raises 'Message is too large', checked before the closed check; the limit itself is fine"
runner_args = ["--ws-max-message", "10"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'aaaaaaaaaa' },
  { expect_binary = 'bbbbbbbbbb' },
  { expect_close = 1000 },
  { close = 1000 },
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
local client = server.listen()
local L, C = "Message is too large", "attempt to use a closed file"
expectErr(E(function() error("ref") end), E(function() client.send(("x"):rep(11)) end), L)
expectErr(E(function() error("ref") end), E(function() client.send(("x"):rep(11), true) end), L)
expectErr(E(function() error("ref") end), E(function() client.send(12345678901) end), L)
client.send(("a"):rep(10))
client.send(("b"):rep(10), true)
client.close()
expectErr(E(function() error("ref") end), E(function() client.send(("x"):rep(11)) end), L)
expectErr(E(function() error("ref") end), E(function() client.send(("x"):rep(10)) end), C)
expectErr(E(function() error("ref") end), E(function() client.send("") end), C)
os.pullEvent("websocket_server_closed") -- let the close handshake finish before the script ends
print("ok")
