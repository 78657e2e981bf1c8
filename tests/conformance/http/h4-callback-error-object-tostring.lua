--[==[case
clauses = ["H4"]
summary = "a callback raising a table with __tostring: 500 to the client, the runner exits 1 with tostring of the error on stderr"
exit = 1
stderr_contains = ["error object 6129"]

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  error(setmetatable({}, { __tostring = function() return "error object 6129" end }))
end)
