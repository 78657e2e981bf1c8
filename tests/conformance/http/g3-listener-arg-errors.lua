--[==[case
clauses = ["G2", "G3", "H1", "L1"]
summary = "wrong argument types to addListener, removeListener and listen raise the standard message"
fix = ["G3"]
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
local function cb() end

expectErr(E(function() error("ref") end), E(function() http.addListener({}) end), "bad argument #1 to 'addListener' (number expected, got table)")
expectErr(E(function() error("ref") end), E(function() http.addListener("abc") end), "bad argument #1 to 'addListener' (number expected, got string)")
expectErr(E(function() error("ref") end), E(function() http.addListener(nil) end), "bad argument #1 to 'addListener' (number expected, got nil)")
expectErr(E(function() error("ref") end), E(function() http.addListener(true) end), "bad argument #1 to 'addListener' (number expected, got boolean)")
expectErr(E(function() error("ref") end), E(function() http.removeListener({}) end), "bad argument #1 to 'removeListener' (number expected, got table)")
expectErr(E(function() error("ref") end), E(function() http.removeListener("abc") end), "bad argument #1 to 'removeListener' (number expected, got string)")
expectErr(E(function() error("ref") end), E(function() http.removeListener(nil) end), "bad argument #1 to 'removeListener' (number expected, got nil)")
expectErr(E(function() error("ref") end), E(function() http.listen({}, cb) end), "bad argument #1 to 'listen' (number expected, got table)")
expectErr(E(function() error("ref") end), E(function() http.listen("abc", cb) end), "bad argument #1 to 'listen' (number expected, got string)")
expectErr(E(function() error("ref") end), E(function() http.listen(nil, cb) end), "bad argument #1 to 'listen' (number expected, got nil)")
expectErr(E(function() error("ref") end), E(function() http.listen(port, "x") end), "bad argument #2 to 'listen' (function expected, got string)")
expectErr(E(function() error("ref") end), E(function() http.listen(port, nil) end), "bad argument #2 to 'listen' (function expected, got nil)")
expectErr(E(function() error("ref") end), E(function() http.listen(port, {}) end), "bad argument #2 to 'listen' (function expected, got table)")
-- an out-of-range port reaches addListener's range check (position not pinned:
-- CraftOS-PC's listen is Lua code that calls addListener)
local err = E(function() http.listen(70000, cb) end)
assert(type(err) == "string" and err:match("bad argument #1 %(port out of range%)$"), err)
print("ok")
