--[==[case
clauses = ["S8", "R2"]
summary = "the deadline is kept even while the script runs without yielding: the response leaves about 1 s after the event was queued"
# With the default --io-threads 0 the transport shares the script's thread,
# so a script that never yields also holds back its deadlines (documented in
# ARCHITECTURE.md); the clause is pinned with the transport on its own thread.
runner_args = ["--response-timeout", "1", "--io-threads", "1"]
stdout = '''
ok
'''

[[step]]
send = 'GET /busy HTTP/1.1\r\nHost: x\r\n\r\n'
status = 202
body = 'partial'
min_ms = 900
max_ms = 2000
]==]
local port = tonumber(...)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
res.setStatusCode(202)
res.write("partial")
-- 3 s without yielding (a slow computation; CC itself allows about 7 s)
local stop = os.epoch("utc") + 3000
while os.epoch("utc") < stop do end
local ok, err = pcall(function() res.write("late") end)
assert(not ok and err:match("attempt to use a closed file$"), "response still open after its deadline: " .. tostring(err))
http.removeListener(port)
print("ok")
