--[==[case
clauses = ["W1", "G2"]
summary = "websocketServer with a port outside 0-65535 raises 'bad argument #1 (port out of range)' with the caller's position"
stdout = '''
ok
'''
]==]
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local function expectErr(ref, err, msg)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if not where then error("reference error has no position: " .. tostring(ref), 2) end
  if err ~= where .. msg then error(("expected %q, got %q"):format(where .. msg, err), 2) end
end
local R = "bad argument #1 (port out of range)"
expectErr(E(function() error("ref") end), E(function() http.websocketServer(-1) end), R)
expectErr(E(function() error("ref") end), E(function() http.websocketServer(65536) end), R)
expectErr(E(function() error("ref") end), E(function() http.websocketServer(1e9) end), R)
expectErr(E(function() error("ref") end), E(function() http.websocketServer(-65535) end), R)
expectErr(E(function() error("ref") end), E(function() http.websocketServer("70000") end), R)
expectErr(E(function() error("ref") end), E(function() http.websocketServer(65536, {}) end), R)
print("ok")
