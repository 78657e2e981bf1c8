--[==[case
clauses = ["R4"]
summary = "getRequestHeaders: fresh table each call, case-insensitive lookup, repeated headers joined with ', '"
fix = ["R4"]
ext = ["R4"]
stdout = '''
ok
'''

[[step]]
send = 'GET /h HTTP/1.1\r\nHost: x\r\nX-Custom-Header: v1\r\nx-lower: low\r\nX-Rep: a\r\nX-Rep: b\r\nx-rep: c\r\nContent-Type: text/plain\r\nX-Empty:\r\nX-Inner: padded  value\r\n\r\n'
status = 200
body = 'headers ok'
]==]
local port = tonumber(...)
local function eq(got, want, what)
  if got ~= want then error(("%s: expected %q, got %q"):format(what, tostring(want), tostring(got)), 2) end
end
http.listen(port, function(req, res)
  local h = req.getRequestHeaders()
  assert(type(h) == "table")
  eq(h["X-Custom-Header"], "v1", "X-Custom-Header")
  eq(h["x-custom-header"], "v1", "x-custom-header")
  eq(h["X-CUSTOM-HEADER"], "v1", "X-CUSTOM-HEADER")
  eq(h["Content-Type"], "text/plain", "Content-Type")
  eq(h["content-type"], "text/plain", "content-type")
  eq(h["X-Lower"], "low", "X-Lower")
  eq(h["x-lower"], "low", "x-lower")
  eq(h["X-Rep"], "a, b, c", "X-Rep (repeated)")
  eq(h["x-rep"], "a, b, c", "x-rep (repeated)")
  eq(h["Host"], "x", "Host")
  eq(h["host"], "x", "host")
  eq(h["X-Empty"], "", "X-Empty")
  eq(h["X-Inner"], "padded  value", "X-Inner")
  eq(h["X-Absent"], nil, "X-Absent")

  -- pairs: one key per header, string values. Names keep the client's casing
  -- where the transport can recover it [ext]; otherwise any casing is allowed.
  local seen = {}
  for k, v in pairs(h) do
    assert(type(k) == "string" and type(v) == "string", "non-string entry " .. tostring(k))
    local lk = k:lower()
    assert(not seen[lk], "header " .. k .. " listed twice")
    seen[lk] = k
  end
  for _, name in ipairs({ "host", "x-custom-header", "content-type", "x-empty", "x-inner", "x-lower", "x-rep" }) do
    assert(seen[name], name .. " missing from pairs")
  end

  -- a fresh table on every call
  local h2 = req.getRequestHeaders()
  assert(h2 ~= h, "getRequestHeaders returned the same table twice")
  h.Foo = "bar"
  h[seen["x-custom-header"]] = "changed"
  eq(h2.Foo, nil, "fresh table sees Foo")
  eq(h2["X-Custom-Header"], "v1", "fresh table after change")
  eq(req.getRequestHeaders()["x-custom-header"], "v1", "third table")
  res.write("headers ok")
  res.close()
  return true
end)
print("ok")
