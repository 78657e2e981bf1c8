--[==[case
clauses = ["G2", "G3", "S2"]
summary = "API errors are strings prefixed with the calling line's position, like error(msg, 2)"
fix = ["G3"]
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'fine'
]==]
local port = tonumber(...)
-- E(f): the error f raises ("<no error>" if none). Each check calls error("ref")
-- and the API on the same line, so both errors must carry the same prefix.
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end

local function writeBad(res, v)
  -- the API is called from this function: the position must be this line
  local ref, err = E(function() error("ref") end), E(function() res.write(v) end)
  return ref, err
end

http.listen(port, function(req, res)
  local ref, err = E(function() error("ref") end), E(function() res.write({}) end)
  assert(type(err) == "string", "error value is a " .. type(err))
  assert(err:match("^[^\n]+:%d+: bad argument #1 to 'write' %(string expected, got table%)$"), err)
  local where = assert(ref:match("^(.*:%d+: )ref$"), ref)
  assert(err == where .. "bad argument #1 to 'write' (string expected, got table)", err)
  assert(err:match(":(%d+):") == ref:match(":(%d+):"), "position is not the caller's line: " .. err)

  ref, err = writeBad(res, true)
  assert(type(err) == "string", "error value is a " .. type(err))
  where = ref:match("^(.*:%d+: )ref$")
  assert(err == where .. "bad argument #1 to 'write' (string expected, got boolean)", err)

  -- the error is a plain string: tostring and concatenation keep it as is
  assert(tostring(err) == err and ("" .. err) == err)
  res.write("fine")
  res.close()
  return true
end)
print("ok")
