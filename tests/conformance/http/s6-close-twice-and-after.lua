--[==[case
clauses = ["S6", "G4", "G2"]
summary = "a second response.close() and every response method after close raise 'attempt to use a closed file'"
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers_absent = ["X-After"]
body = 'done'
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
  res.write("done")
  assert(select("#", res.close()) == 0, "close returned values")
  local ok, err = pcall(function()
    local C = "attempt to use a closed file"
    expectErr(E(function() error("ref") end), E(function() res.close() end), C)
    expectErr(E(function() error("ref") end), E(function() res.write("more") end), C)
    expectErr(E(function() error("ref") end), E(function() res.write(1) end), C)
    expectErr(E(function() error("ref") end), E(function() res.writeLine("more") end), C)
    expectErr(E(function() error("ref") end), E(function() res.setStatusCode(500) end), C)
    expectErr(E(function() error("ref") end), E(function() res.setResponseHeader("X-After", "1") end), C)
    expectErr(E(function() error("ref") end), E(function() res.close() end), C)
  end)
  if not ok then failure = err end
  return true
end)
assert(not failure, failure)
print("ok")
