--[==[case
clauses = ["S5", "G2"]
summary = "header names that are not tokens and values with CR, LF or NUL raise 'bad argument #N (invalid header ...)'; nothing is injected"
fix = ["S5"]
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers = { "X-Good" = "kept" }
headers_absent = ["Injected", "Bad Name", "X", "Y"]
body = 'clean'
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local function expectErrPrefix(ref, err, prefix)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if not where then error("reference error has no position: " .. tostring(ref), 2) end
  local want = where .. prefix
  if err:sub(1, #want) ~= want then error(("expected %q..., got %q"):format(want, err), 2) end
end
http.listen(port, function(req, res)
  local N, V = "bad argument #1 (invalid header", "bad argument #2 (invalid header"
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("Bad Name", "v") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("", "v") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X\r\nInjected", "1") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X:Y", "v") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X\0Y", "v") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X\n", "v") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X(Y)", "v") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X\255", "v") end), N)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X-V", "a\r\nInjected: 1") end), V)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X-V", "a\nInjected: 1") end), V)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X-V", "a\rb") end), V)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X-V", "a\0b") end), V)
  expectErrPrefix(E(function() error("ref") end), E(function() res.setResponseHeader("X-V", { "ok", "bad\r\nInjected: 1" }) end), V)
  res.setResponseHeader("X-Good", "kept")
  res.write("clean")
  res.close()
  return true
end)
print("ok")
