--[==[case
clauses = ["L1", "L5", "G2"]
summary = "addListener outside 0-65535 raises 'bad argument #1 (port out of range)'; removeListener out of range is silent"
fix = ["L1"]
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

expectErr(E(function() error("ref") end), E(function() http.addListener(-1) end), "bad argument #1 (port out of range)")
expectErr(E(function() error("ref") end), E(function() http.addListener(65536) end), "bad argument #1 (port out of range)")
expectErr(E(function() error("ref") end), E(function() http.addListener(-65536) end), "bad argument #1 (port out of range)")
expectErr(E(function() error("ref") end), E(function() http.addListener(1e9) end), "bad argument #1 (port out of range)")
expectErr(E(function() error("ref") end), E(function() http.addListener(65536 + 80) end), "bad argument #1 (port out of range)")
expectErr(E(function() error("ref") end), E(function() http.addListener("65536") end), "bad argument #1 (port out of range)")

-- removeListener out of range: silent no-op, returns nothing
assert(select("#", http.removeListener(-1)) == 0, "removeListener(-1) returned values")
assert(select("#", http.removeListener(65536)) == 0, "removeListener(65536) returned values")

-- a valid port: addListener returns nothing
assert(select("#", http.addListener(port)) == 0, "addListener returned values")
http.removeListener(port)
print("ok")
