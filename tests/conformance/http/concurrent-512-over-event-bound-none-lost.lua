--[==[case
clauses = ["E2", "H5", "E1", "R3", "R4", "X22"]
summary = "512 simultaneous requests arrive while the script is busy, twice the event bound (256): the ones past it wait (back-pressure) instead of being lost or answered 503, and then each gets its own URL and header echoed back"
fix = ["E2"]
# Sockets served on a thread of their own, so the requests are read and
# queued (up to the bound, the rest waiting) while the script is busy.
runner_args = ["--io-threads", "1"]
timeout = 20
stdout = '''
ok
'''

[[concurrent]]
count = 512
send = 'GET /{i} HTTP/1.1\r\nHost: x\r\nX-Id: id-{i}\r\nConnection: close\r\n\r\n'
status = 200
body = '/{i} id-{i}'
]==]
local port = tonumber(...)
http.addListener(port)
-- Busy (without yielding) for 2 s while the requests arrive: none of them is
-- taken, so the queue fills to its bound and the rest must wait.
local until_ms = os.epoch("utc") + 2000
while os.epoch("utc") < until_ms do end
local count = 0
http.listen(port, function(req, res)
  count = count + 1
  res.write(req.getURL() .. " " .. tostring(req.getRequestHeaders()["X-Id"]))
  res.close()
  return count == 512
end)
print("ok")
