--[==[case
clauses = ["H4"]
summary = "a non-string error value raised by the callback propagates out of http.listen as the same value"
fix = ["H4"]
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
]==]
local port = tonumber(...)
local value = { code = 42 }
local ok, err = pcall(http.listen, port, function(req, res)
  error(value)
end)
assert(not ok, "listen returned normally")
assert(rawequal(err, value), "error value changed: " .. type(err) .. " " .. tostring(err))
print("ok")
