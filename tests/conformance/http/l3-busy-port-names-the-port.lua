--[==[case
clauses = ["L3", "W1", "G2"]
summary = "a port another process holds: addListener raises 'Could not open server: Address already in use (port N)' and websocketServer returns nil with the same reason, naming the port asked for"
fix = ["L3"]
busy_port = true
stdout = '''
ok
'''
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
-- The message after the caller's position (this file, some line).
local chunk = assert(E(function() error("ref") end):match("^(.*):%d+: ref$"))
local function message(err)
  local c, rest = err:match("^(.*):%d+: (.*)$")
  assert(c == chunk, ("not at the caller: %q"):format(err))
  return rest
end
local reason = "Address already in use (port " .. port .. ")"
local err = message(E(function() http.addListener(port) end))
assert(err == "Could not open server: " .. reason, ("addListener: %q"):format(err))
-- http.listen raises the same, at its caller
local listen = message(E(function() http.listen(port, function() end) end))
assert(listen == "Could not open server: " .. reason, ("listen: %q"):format(listen))
local r = table.pack(http.websocketServer(port))
assert(r.n == 2 and r[1] == nil and r[2] == reason, ("websocketServer: %s, %q"):format(tostring(r[1]), tostring(r[2])))
print("ok")
