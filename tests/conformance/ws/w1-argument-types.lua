--[==[case
clauses = ["W1", "W2", "W5", "W6", "G3", "G2"]
summary = "wrong argument types to websocketServer, listen, send and receive raise 'bad argument #N to NAME (T expected, got U)'"
fix = ["G3"]
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'checked' },
  { close = 1000 },
  { expect_close = 1000 },
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
local function W(t) return "bad argument #1 to 'websocketServer' (number expected, got " .. t .. ")" end
expectErr(E(function() error("ref") end), E(function() http.websocketServer() end), W("nil"))
expectErr(E(function() error("ref") end), E(function() http.websocketServer("abc") end), W("string"))
expectErr(E(function() error("ref") end), E(function() http.websocketServer({}) end), W("table"))
expectErr(E(function() error("ref") end), E(function() http.websocketServer(true) end), W("boolean"))
local H = "bad argument #2 to 'websocketServer' (table expected, got "
expectErr(E(function() error("ref") end), E(function() http.websocketServer(port, "x") end), H .. "string)")
expectErr(E(function() error("ref") end), E(function() http.websocketServer(port, 5) end), H .. "number)")
-- an illegal header (W1 [ext], as S5): an error naming argument #2
local bad = E(function() http.websocketServer(port, { ["Bad Name"] = "x" }) end)
assert(type(bad) == "string" and bad:find("bad argument #2 (invalid header", 1, true), "illegal header name: " .. tostring(bad))
bad = E(function() http.websocketServer(port, { ["X-Ok"] = "a\r\nInjected: 1" }) end)
assert(type(bad) == "string" and bad:find("bad argument #2 (invalid header", 1, true), "illegal header value: " .. tostring(bad))

local server = assert(http.websocketServer(port))
expectErr(E(function() error("ref") end), E(function() server.listen("soon") end), "bad argument #1 to 'listen' (number expected, got string)")
expectErr(E(function() error("ref") end), E(function() server.listen({}) end), "bad argument #1 to 'listen' (number expected, got table)")
local client = server.listen()
local S = "bad argument #1 to 'send' (string expected, got "
expectErr(E(function() error("ref") end), E(function() client.send() end), S .. "nil)")
expectErr(E(function() error("ref") end), E(function() client.send({}) end), S .. "table)")
expectErr(E(function() error("ref") end), E(function() client.send(true) end), S .. "boolean)")
expectErr(E(function() error("ref") end), E(function() client.send(print) end), S .. "function)")
expectErr(E(function() error("ref") end), E(function() client.receive("later") end), "bad argument #1 to 'receive' (number expected, got string)")
expectErr(E(function() error("ref") end), E(function() client.receive(true) end), "bad argument #1 to 'receive' (number expected, got boolean)")
client.send("checked")
assert(client.receive() == nil)
print("ok")
