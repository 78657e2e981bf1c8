--[==[case
clauses = ["L6"]
summary = "os.shutdown() with a request in flight: the client gets 503 and the runner exits 0"
fix = ["L6"]
exit = 0

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 503
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
res.setStatusCode(200)
res.write("never sent")
os.shutdown()
