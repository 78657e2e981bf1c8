--[==[case
clauses = ["S2", "G7"]
summary = "write and writeLine take numbers, formatted as Lua 5.2 tostring does (10, not 10.0); writeLine appends LF"
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers = { "Content-Length" = "70" }
body = '10\n10\n1.5\n-0.5\n1e+15\n1e+100\n0.33333333333333\n\nstr\n9.007199254741e+1512'
]==]
local port = tonumber(...)
-- these are the strings Lua 5.2's tostring gives (CraftOS-PC's Lua); the
-- binding writes them on every Lua it is built with (5.3 and 5.4's tostring
-- gives "10.0" for 10.0)
if _VERSION == "Lua 5.2" then
  assert(tostring(10.0) == "10", "tostring(10.0) is " .. tostring(10.0))
  assert(tostring(2 ^ 53) == "9.007199254741e+15", "tostring(2^53) is " .. tostring(2 ^ 53))
end
http.listen(port, function(req, res)
  res.writeLine(10)
  res.writeLine(10.0)
  res.writeLine(1.5)
  res.writeLine(-0.5)
  res.writeLine(1e15)
  res.writeLine(1e100)
  res.writeLine(1 / 3)
  res.writeLine("")
  res.writeLine("str")
  res.write(2 ^ 53)
  res.write("")
  res.write(1)
  res.write(2)
  res.close()
  return true
end)
print("ok")
