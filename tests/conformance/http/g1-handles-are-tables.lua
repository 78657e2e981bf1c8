--[==[case
clauses = ["G1", "S1", "R1"]
summary = "http, the request and the response are plain tables of functions called with a dot"
stdout = '''
ok
'''

[[step]]
send = 'GET /shape HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'shape ok'
]==]
local port = tonumber(...)
assert(type(http) == "table", "http is a " .. type(http))
for _, name in ipairs({ "listen", "addListener", "removeListener" }) do
  assert(type(http[name]) == "function", "http." .. name .. " is a " .. type(http[name]))
end
http.listen(port, function(req, res)
  assert(type(req) == "table", "request is a " .. type(req))
  assert(type(res) == "table", "response is a " .. type(res))
  assert(req ~= res, "request and response are the same table")
  for _, name in ipairs({ "getURL", "getMethod", "getRequestHeaders", "read", "readLine", "readAll", "close" }) do
    assert(type(req[name]) == "function", "request." .. name .. " is a " .. type(req[name]))
  end
  for _, name in ipairs({ "write", "writeLine", "setStatusCode", "setResponseHeader", "close" }) do
    assert(type(res[name]) == "function", "response." .. name .. " is a " .. type(res[name]))
  end
  res.write("shape")
  res.write(" ok")
  res.close()
  return true
end)
print("ok")
