--[==[case
clauses = ["G2", "G3", "R5", "R6"]
summary = "wrong argument types to read raise the standard message and consume nothing; readLine's flag is a truthy value"
fix = ["G3"]
stdout = '''
ok
'''

[[step]]
send = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nxy\nzw\n'
status = 200
body = 'ok'
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local function expectErr(ref, err, msg)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if not where then error("reference error has no position: " .. tostring(ref), 2) end
  if err ~= where .. msg then error(("expected %q, got %q"):format(where .. msg, err), 2) end
end

http.listen(port, function(req, res)
  expectErr(E(function() error("ref") end), E(function() req.read({}) end), "bad argument #1 to 'read' (number expected, got table)")
  expectErr(E(function() error("ref") end), E(function() req.read("abc") end), "bad argument #1 to 'read' (number expected, got string)")
  expectErr(E(function() error("ref") end), E(function() req.read(true) end), "bad argument #1 to 'read' (number expected, got boolean)")
  -- a numeric string is a number to Lua 5.2
  local got = req.read("1")
  assert(got == "x", "read(\"1\") gave " .. tostring(got))
  -- readLine's argument is a flag: a table is truthy (as lua_toboolean). If an
  -- implementation type-checks it instead, the error must have the standard form.
  -- (called from a Lua function, not a tail call, so the error has a position)
  local ok, line = pcall(function() local l = req.readLine({}) return l end)
  if ok then
    assert(line == "y\n", "readLine({}) gave " .. tostring(line))
  else
    assert(type(line) == "string" and line:match("^[^\n]+:%d+: bad argument #1 to 'readLine' %(boolean expected, got table%)$"), tostring(line))
    assert(req.readLine() == "y", "readLine after the failed call")
  end
  got = req.readAll()
  assert(got == "zw\n", "readAll gave " .. tostring(got))
  res.write("ok")
  res.close()
  return true
end)
print("ok")
