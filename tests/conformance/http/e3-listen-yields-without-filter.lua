--[==[case
clauses = ["E3", "H2"]
summary = "http.listen waits by yielding no filter (as os.pullEvent()), so a hand-written scheduler can drive it"
stdout = '''
ok
'''

[[step]]
send = 'GET /driven HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'driven'
]==]
local port = tonumber(...)
local calls = 0
local co = coroutine.create(function()
  http.listen(port, function(req, res)
    calls = calls + 1
    res.write("driven")
    res.close()
    return true
  end)
  return "returned"
end)
local results = table.pack(coroutine.resume(co))
assert(results[1], tostring(results[2]))
assert(coroutine.status(co) == "suspended", "listen did not wait")
-- like os.pullEvent(): coroutine.yield(nil) (one nil, as CC's pullEventRaw(nil)) or no value
assert(results.n <= 2 and results[2] == nil, "listen yielded a filter: " .. tostring(results[2]))
-- events it does not care about: it just waits again, still with no filter
results = table.pack(coroutine.resume(co, "some_event", 1, 2))
assert(results[1] and results[2] == nil and coroutine.status(co) == "suspended", "after some_event")
results = table.pack(coroutine.resume(co, "timer", 12345))
assert(results[1] and results[2] == nil and coroutine.status(co) == "suspended", "after timer")
-- hand it the real events
while coroutine.status(co) == "suspended" do
  local ev = table.pack(os.pullEventRaw())
  results = table.pack(coroutine.resume(co, table.unpack(ev, 1, ev.n)))
  assert(results[1], tostring(results[2]))
  if coroutine.status(co) == "suspended" then
    assert(results[2] == nil, "listen yielded a filter: " .. tostring(results[2]))
  end
end
assert(results[2] == "returned", tostring(results[2]))
assert(calls == 1, "callback called " .. calls .. " times")
print("ok")
