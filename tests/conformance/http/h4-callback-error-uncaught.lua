--[==[case
clauses = ["H4", "G2"]
summary = "an uncaught callback error: the client gets 500, the runner exits 1 with the message on stderr"
fix = ["H4"]
exit = 1
stderr_contains = ["uncaught callback error 7781"]

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
]==]
local port = tonumber(...)
http.listen(port, function(req, res)
  res.write("never sent")
  error("uncaught callback error 7781")
end)
print("listen returned")
