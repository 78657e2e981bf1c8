--[==[case
clauses = ["H4"]
summary = "a callback raising a plain table: 500 to the client, the runner exits 1 with `table: 0x...` on stderr"
exit = 1
stderr_contains = ["table: "]

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  error({})
end)
