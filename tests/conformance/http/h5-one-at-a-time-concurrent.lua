--[==[case
clauses = ["H5", "E1", "R1"]
summary = "100 simultaneous requests: the callback runs for one at a time, each request exactly once"
timeout = 10
stdout = '''
ok
'''

[[concurrent]]
count = 100
send = 'GET /{i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
status = 200
body = '/{i}'
]==]
local port = tonumber(...)
local busy, count, seen = false, 0, {}
http.listen(port, function(req, res)
  assert(not busy, "two callbacks at once")
  busy = true
  local url = req.getURL()
  assert(not seen[url], "request " .. url .. " handled twice")
  seen[url] = true
  count = count + 1
  res.write(url)
  res.close()
  busy = false
  return count == 100
end)
for i = 0, 99 do assert(seen["/" .. i], "request /" .. i .. " never reached the callback") end
print("ok")
