--[==[case
clauses = ["S4", "G2", "G7"]
summary = "setStatusCode: standard reason phrase by default, custom reason, last call wins, 100-999 else 'status code out of range'"
fix = ["S4"]
stdout = '''
ok
'''

[[step]]
send = 'GET /404 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 404
reason = "Not Found"
body = 'x'

[[step]]
send = 'GET /201 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 201
reason = "Created"
body = 'x'

[[step]]
send = 'GET /418 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 418
reason = "I'm a teapot"
body = 'x'

[[step]]
send = 'GET /500 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
reason = "Internal Server Error"
body = 'x'

[[step]]
send = 'GET /reason HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
reason = "Fine Thanks"
body = 'x'

[[step]]
send = 'GET /custom-404 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 404
reason = "Nope"
body = 'x'

[[step]]
send = 'GET /last-wins HTTP/1.1\r\nHost: x\r\n\r\n'
status = 203
reason = "Non-Authoritative Information"
body = 'x'

[[step]]
send = 'GET /float HTTP/1.1\r\nHost: x\r\n\r\n'
status = 404
reason = "Not Found"
body = 'x'

[[step]]
send = 'GET /999 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 999
body = 'x'

[[step]]
send = 'GET /errors HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
reason = "OK"
body = 'x'
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
  local url = req.getURL()
  if url == "/reason" then
    res.setStatusCode(200, "Fine Thanks")
  elseif url == "/custom-404" then
    res.setStatusCode(404, "Nope")
  elseif url == "/last-wins" then
    res.setStatusCode(500)
    res.setStatusCode(203)
  elseif url == "/float" then
    res.setStatusCode(404.0)
  elseif url == "/errors" then
    local R = "bad argument #1 (status code out of range)"
    expectErr(E(function() error("ref") end), E(function() res.setStatusCode(99) end), R)
    expectErr(E(function() error("ref") end), E(function() res.setStatusCode(1000) end), R)
    expectErr(E(function() error("ref") end), E(function() res.setStatusCode(0) end), R)
    expectErr(E(function() error("ref") end), E(function() res.setStatusCode(-200) end), R)
    expectErr(E(function() error("ref") end), E(function() res.setStatusCode(65736) end), R) -- 200 + 65536
    -- the bounds themselves are fine
    res.setStatusCode(100)
    res.setStatusCode(999)
    res.setStatusCode(200)
  else
    res.setStatusCode(tonumber(url:sub(2)))
  end
  res.write("x")
  res.close()
  return url == "/errors"
end)
print("ok")
