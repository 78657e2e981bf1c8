--[==[case
clauses = ["S5"]
summary = "setResponseHeader replaces earlier values case-insensitively; a table of strings sends the header once per value"
ext = ["S5"]
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers = { "X-A" = "2", "Set-Cookie" = "a=1, b=2", "X-T" = "n1, n2", "X-U" = "r", "X-Spaces" = "a b  c", "X-Empty" = "", "X-Case" = "last" }
body = 'headers'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  res.setResponseHeader("X-A", "1")
  res.setResponseHeader("x-a", "2")                   -- replaces X-A
  res.setResponseHeader("Set-Cookie", { "a=1", "b=2" }) -- sent twice
  res.setResponseHeader("X-T", "old")
  res.setResponseHeader("x-t", { "n1", "n2" })          -- a table replaces a value
  res.setResponseHeader("X-U", { "p", "q" })
  res.setResponseHeader("X-U", "r")                     -- a value replaces a table
  res.setResponseHeader("X-Spaces", "a b  c")
  res.setResponseHeader("X-Empty", "")
  res.setResponseHeader("x-case", "first")
  res.setResponseHeader("X-CASE", "middle")
  res.setResponseHeader("X-Case", "last")
  res.write("headers")
  res.close()
  return true
end)
print("ok")
