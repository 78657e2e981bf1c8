--[==[case
clauses = ["G5", "R5", "R6"]
summary = "NUL and high bytes survive read(), read(n) and readLine; CR before LF is kept"
fix = ["G5"]
stdout = '''
ok
'''

[[step]]
send = 'POST /bin HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n\0a\r\n\0\xff\n\xfe\x80\0\n\0'
status = 200
body = '\0\xff'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local function check(got, want, what)
    assert(got == want, ("%s: expected %q, got %q"):format(what, tostring(want), tostring(got)))
  end
  check(req.readLine(), "\0a\r", "readLine 1")
  local second = req.readLine()
  check(second, "\0\255", "readLine 2")
  check(req.read(), "\254", "read()")
  check(req.read(2), "\128\0", "read(2)")
  check(req.readLine(true), "\n", "readLine(true)")
  check(req.read(5), "\0", "short read(5)")
  check(req.read(), nil, "read() at end")
  res.write(second)
  res.close()
  return true
end)
print("ok")
