--[==[case
clauses = ["W2", "W3", "G4", "G2"]
summary = "server.close() is idempotent; listen on a closed server raises 'attempt to use a closed file'"
stdout = '''
ok
'''
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
assert(select("#", server.close()) == 0, "close returned values")
assert(select("#", server.close()) == 0, "a second close returned values")
local C = "attempt to use a closed file"
expectErr(E(function() error("ref") end), E(function() server.listen() end), C)
expectErr(E(function() error("ref") end), E(function() server.listen(1) end), C)
server.close()
print("ok")
