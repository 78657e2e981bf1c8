--[==[case
clauses = ["G1", "G6"]
summary = "[fix] the handles' metatables are protected and a table a script builds is never taken for a handle: forging one with the private key raises or does nothing, it never reaches memory; the real handles keep working"
fix = ["G6"]
stdout = '''
ok
'''

[[step]]
send = 'GET /forge HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/forge'
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
assert(getmetatable(req) == false and getmetatable(res) == false, "protected metatables")
assert(not pcall(setmetatable, req, {}), "setmetatable refused")
-- The private key and the exchange are reachable through next ...
local key, exchange
for k, v in next, req do
  if type(k) == "userdata" then key, exchange = k, v end
end
assert(key ~= nil, "the private key is visible to next")
assert(getmetatable(exchange) == false, "the exchange's metatable is protected")
-- ... but a table of the script's making is not a handle, whatever it holds.
for _, value in ipairs({ 123, "x", {}, key, function() end }) do
  local fake = { [key] = value }
  assert(not pcall(setmetatable, fake, getmetatable(req)))
  assert(fake.getURL == nil)
end
-- The iterator of pairs checks what it is given.
local iter = pairs(req)
assert(not pcall(iter, 5))
assert(not pcall(iter, nil))
-- (Lua 5.1 and LuaJIT ignore __pairs: there pairs lists what was used.)
if _VERSION ~= "Lua 5.1" then
  local seen = 0
  for name in pairs(req) do seen = seen + 1 end
  assert(seen == 7, "pairs(req) lists the 7 request functions, got " .. seen)
end
res.write(req.getURL())
res.close()
print("ok")
