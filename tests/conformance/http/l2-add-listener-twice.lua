--[==[case
clauses = ["L2", "R1", "E1"]
summary = "addListener on a port this computer already listens on is a silent no-op: one event per request"
stdout = '''
ok
'''

[[step]]
send = 'GET /one HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/one'

[[step]]
send = 'GET /two HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '/two'
]==]
local port = tonumber(...)
assert(select("#", http.addListener(port)) == 0)
assert(select("#", http.addListener(port)) == 0, "second addListener returned values")

local seen = {}
local function serveOne()
  local _, p, req, res = os.pullEvent("http_request")
  assert(p == port)
  seen[#seen + 1] = req.getURL()
  res.write(req.getURL())
  res.close()
end

serveOne()
http.addListener(port) -- again, while a listener with traffic exists
serveOne()
-- no duplicate events follow
local timer = os.startTimer(0.5)
while true do
  local ev, a = os.pullEvent()
  assert(ev ~= "http_request", "duplicate http_request event")
  if ev == "timer" and a == timer then break end
end
assert(#seen == 2 and seen[1] == "/one" and seen[2] == "/two", table.concat(seen, ","))
http.removeListener(port)
print("ok")
