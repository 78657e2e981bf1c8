--[==[case
clauses = ["G5", "R4", "S5"]
summary = "high bytes and inner tabs in header values reach Lua unchanged and go back out unchanged"
stdout = '''
ok
'''

# Header values in the case format are not escape-decoded, so the request
# header's bytes are echoed in the body, and the response header is checked
# with a literal TAB and UTF-8 bytes (no 0x80-0xFF byte on its own).
[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\nX-Bin: a\tb\xff\x80c\xc3\xa9\r\n\r\n'
status = 200
headers = { "X-Echo" = 'a	bcé' }
body = 'a\tb\xff\x80c\xc3\xa9'
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  local v = req.getRequestHeaders()["X-Bin"]
  assert(v == "a\tb\255\128c\195\169", ("X-Bin is %q"):format(tostring(v)))
  res.setResponseHeader("X-Echo", (v:gsub("\255\128", ""))) -- "a\tbc\195\169"
  res.write(v)
  res.close()
  return true
end)
print("ok")
