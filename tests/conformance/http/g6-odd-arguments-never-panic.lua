--[==[case
clauses = ["G6", "G2", "L1", "S4"]
summary = "NaN, infinities and huge numbers never panic: each call returns or raises a string that is not a caught panic ('internal error ...'), and the server keeps serving"
runner_args = ["--response-timeout", "3"]
stdout = '''
ok
'''

[[step]]
send = 'POST /odd HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd'
status = 203
body = 'survived'

[[step]]
send = 'GET /again HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'alive'
]==]
local port = tonumber(...)
local nan, inf = 0 / 0, math.huge

-- A caught Rust panic reaches Lua as "internal error..." (and mlua's own
-- as "...panic..."): G6 says no panic happens at all.
local function panicked(err)
  -- the message after the position (this file's name has "panic" in it)
  local text = (err:match("^[^\n]-:%d+: (.*)$") or err):lower()
  return text:find("internal error", 1, true) or text:find("panic", 1, true)
end
-- f must return, or raise a string error (never a userdata, never a crash,
-- never a caught panic)
local function noPanic(what, f)
  local ok, err = pcall(f)
  if not ok and type(err) ~= "string" then
    error(what .. " raised a " .. type(err), 2)
  end
  if not ok and panicked(err) then error(what .. " panicked: " .. err, 2) end
  return ok, err
end
-- f must raise a string error that is not a caught panic
local function mustRaise(what, f)
  local ok, err = pcall(f)
  if ok then error(what .. " did not raise", 2) end
  if type(err) ~= "string" then error(what .. " raised a " .. type(err), 2) end
  if panicked(err) then error(what .. " panicked: " .. err, 2) end
end

mustRaise("addListener(NaN)", function() http.addListener(nan) end)
mustRaise("addListener(inf)", function() http.addListener(inf) end)
mustRaise("addListener(-inf)", function() http.addListener(-inf) end)
mustRaise("addListener(2^53)", function() http.addListener(2 ^ 53) end)
mustRaise("addListener(2^64)", function() http.addListener(2 ^ 64) end)
noPanic("removeListener(NaN)", function() http.removeListener(nan) end)
noPanic("removeListener(inf)", function() http.removeListener(inf) end)
noPanic("removeListener(-2^63)", function() http.removeListener(-2 ^ 63) end)

local served = 0
http.listen(port, function(req, res)
  served = served + 1
  if req.getURL() == "/again" then
    res.write("alive")
    res.close()
    return true
  end
  for _, n in ipairs({ nan, inf, -inf, 2 ^ 63, -2 ^ 63, 1e308, -1, 0 }) do
    noPanic("read(" .. tostring(n) .. ")", function() req.read(n) end)
  end
  noPanic("readLine(NaN)", function() req.readLine(nan) end)
  noPanic("readAll()", function() req.readAll() end)
  for _, n in ipairs({ nan, inf, -inf, 2 ^ 63, -2 ^ 63, 1e308, 2 ^ 32 + 200 }) do
    mustRaise("setStatusCode(" .. tostring(n) .. ")", function() res.setStatusCode(n) end)
  end
  noPanic("setStatusCode(200, long reason)", function() res.setStatusCode(200, string.rep("r", 1000)) end)
  noPanic("setResponseHeader(long value)", function() res.setResponseHeader("X-Long", string.rep("v", 4000)) end)
  noPanic("setResponseHeader(long name)", function() res.setResponseHeader(string.rep("n", 200), "v") end)
  res.setResponseHeader("X-Long", "short")
  res.setStatusCode(203)
  res.write("survived")
  res.close()
end)
assert(served == 2, "served " .. served)
print("ok")
