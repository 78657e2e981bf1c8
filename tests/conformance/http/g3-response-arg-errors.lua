--[==[case
clauses = ["G2", "G3", "S2", "S4", "S5"]
summary = "wrong argument types to write, writeLine, setStatusCode, setResponseHeader raise the standard message"
fix = ["G3"]
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
reason = "OK"
headers_absent = ["X-A"]
body = 'clean'
]==]
local port = tonumber(...)
-- E(f): the error f raises ("<no error>" if none). Each check calls error("ref")
-- and the API on the same line, so both errors must carry the same prefix.
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local function expectErr(ref, err, msg)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if not where then error("reference error has no position: " .. tostring(ref), 2) end
  if err ~= where .. msg then error(("expected %q, got %q"):format(where .. msg, err), 2) end
end
-- like expectErr, but the part after the position must match a Lua pattern
local function expectErrMatch(ref, err, pat)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if err:sub(1, #where) ~= where or not err:sub(#where + 1):match(pat) then
    error(("expected %q followed by %q, got %q"):format(where, pat, err), 2)
  end
end

http.listen(port, function(req, res)
  expectErr(E(function() error("ref") end), E(function() res.write({}) end), "bad argument #1 to 'write' (string expected, got table)")
  expectErr(E(function() error("ref") end), E(function() res.write(true) end), "bad argument #1 to 'write' (string expected, got boolean)")
  expectErr(E(function() error("ref") end), E(function() res.write(nil) end), "bad argument #1 to 'write' (string expected, got nil)")
  expectErr(E(function() error("ref") end), E(function() res.write(print) end), "bad argument #1 to 'write' (string expected, got function)")
  expectErr(E(function() error("ref") end), E(function() res.write(coroutine.create(print)) end), "bad argument #1 to 'write' (string expected, got thread)")
  expectErr(E(function() error("ref") end), E(function() res.writeLine({}) end), "bad argument #1 to 'writeLine' (string expected, got table)")
  expectErr(E(function() error("ref") end), E(function() res.writeLine(false) end), "bad argument #1 to 'writeLine' (string expected, got boolean)")
  expectErr(E(function() error("ref") end), E(function() res.setStatusCode("abc") end), "bad argument #1 to 'setStatusCode' (number expected, got string)")
  expectErr(E(function() error("ref") end), E(function() res.setStatusCode({}) end), "bad argument #1 to 'setStatusCode' (number expected, got table)")
  expectErr(E(function() error("ref") end), E(function() res.setStatusCode(nil) end), "bad argument #1 to 'setStatusCode' (number expected, got nil)")
  expectErr(E(function() error("ref") end), E(function() res.setResponseHeader({}, "v") end), "bad argument #1 to 'setResponseHeader' (string expected, got table)")
  expectErr(E(function() error("ref") end), E(function() res.setResponseHeader(nil, "v") end), "bad argument #1 to 'setResponseHeader' (string expected, got nil)")
  expectErr(E(function() error("ref") end), E(function() res.setResponseHeader(true, "v") end), "bad argument #1 to 'setResponseHeader' (string expected, got boolean)")
  -- argument #2 may also be a table of strings [ext], so the expected-type list is not pinned
  expectErrMatch(E(function() error("ref") end), E(function() res.setResponseHeader("X-A", true) end), "^bad argument #2 to 'setResponseHeader' %(.+ expected, got boolean%)$")
  expectErrMatch(E(function() error("ref") end), E(function() res.setResponseHeader("X-A", nil) end), "^bad argument #2 to 'setResponseHeader' %(.+ expected, got nil%)$")
  expectErrMatch(E(function() error("ref") end), E(function() res.setResponseHeader("X-A", print) end), "^bad argument #2 to 'setResponseHeader' %(.+ expected, got function%)$")
  -- none of the failed calls changed the response
  res.write("clean")
  res.close()
  return true
end)
print("ok")
