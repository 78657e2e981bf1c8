--[==[case
clauses = ["L3", "L4", "G2"]
summary = "a listener that cannot bind (address not on this host) raises 'Could not open server: <reason>'"
fix = ["L3"]
runner_args = ["--bind", "192.0.2.1"]
# binding an address: a TCP matter
transports = ["tcp"]
stdout = '''
ok
'''
]==]
-- L3 proper (a port held by another computer or process gives "Address already in
-- use") cannot be set up by the harness: the runner is one computer and the
-- harness holds no listening port. This case pins the error shape of L3 for
-- another bind failure: 192.0.2.1 (TEST-NET-1) is not an address of this host,
-- so binding it fails with EADDRNOTAVAIL.
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local ref, err = E(function() error("ref") end), E(function() http.addListener(port) end)
assert(type(err) == "string", "error value is a " .. type(err))
local where = assert(ref:match("^(.*:%d+: )ref$"), ref)
local prefix = where .. "Could not open server: "
assert(err:sub(1, #prefix) == prefix and #err > #prefix, ("expected %q<reason>, got %q"):format(prefix, err))
print("ok")
