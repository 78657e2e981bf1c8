--[==[case
clauses = ["L6", "G2"]
summary = "the script raises with a request unanswered: exit 1 with the message, the client gets 503"
fix = ["L6"]
exit = 1
stderr_contains = ["script failed on purpose 5521"]

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 503
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
res.write("never sent")
error("script failed on purpose 5521")
