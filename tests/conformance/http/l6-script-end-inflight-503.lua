--[==[case
clauses = ["L6"]
summary = "the script returns with a request unanswered: the computer ends, the client gets 503"
fix = ["L6"]
exit = 0
stdout = '''
ending
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 503
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
res.write("never sent")
print("ending")
