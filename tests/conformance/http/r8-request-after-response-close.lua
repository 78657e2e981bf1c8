--[==[case
clauses = ["R8", "G4", "G2", "R7"]
summary = "after response.close() every request method except close raises 'attempt to use a closed file'"
fix = ["R8"]
stdout = '''
ok
'''

[[step]]
send = 'POST /r8 HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab\ncd\n'
status = 200
body = 'closed'
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local function expectErr(ref, err, msg)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if not where then error("reference error has no position: " .. tostring(ref), 2) end
  if err ~= where .. msg then error(("expected %q, got %q"):format(where .. msg, err), 2) end
end
local failure
http.listen(port, function(req, res)
  res.write("closed")
  res.close()
  -- res is closed now; collect failures instead of raising (the response is gone)
  local ok, err = pcall(function()
    local C = "attempt to use a closed file"
    expectErr(E(function() error("ref") end), E(function() req.read() end), C)
    expectErr(E(function() error("ref") end), E(function() req.read(2) end), C)
    expectErr(E(function() error("ref") end), E(function() req.readLine() end), C)
    expectErr(E(function() error("ref") end), E(function() req.readLine(true) end), C)
    expectErr(E(function() error("ref") end), E(function() req.readAll() end), C)
    expectErr(E(function() error("ref") end), E(function() req.getURL() end), C)
    expectErr(E(function() error("ref") end), E(function() req.getMethod() end), C)
    expectErr(E(function() error("ref") end), E(function() req.getRequestHeaders() end), C)
    local okClose, errClose = pcall(req.close)
    assert(okClose, "req.close raised " .. tostring(errClose))
  end)
  if not ok then failure = err end
  return true
end)
assert(not failure, failure)
print("ok")
