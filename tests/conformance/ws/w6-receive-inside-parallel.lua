--[==[case
clauses = ["W6", "E3"]
summary = "receive() waits in the calling coroutine with no filter: it works inside parallel and consumes events that do not match"
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'go' },
  { sleep_ms = 200 },
  { send_text = 'one' },
  { send_binary = 'two' },
  { expect_text = 'done' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
local got, ticks = {}, 0
client.send("go")
os.queueEvent("custom_before")
parallel.waitForAny(function()
  local m1, b1 = client.receive()
  local m2, b2 = client.receive()
  got = { m1, b1, m2, b2 }
end, function()
  while true do
    local ev = os.pullEvent("custom_tick")
    ticks = ticks + 1
  end
end, function()
  for i = 1, 3 do os.queueEvent("custom_tick") sleep(0) end
  while true do os.pullEvent() end
end)
assert(got[1] == "one" and got[2] == false and got[3] == "two" and got[4] == true,
  ("received %s %s %s %s"):format(tostring(got[1]), tostring(got[2]), tostring(got[3]), tostring(got[4])))
assert(ticks == 3, "the other coroutine saw " .. ticks .. " ticks")
-- receive consumed custom_before (as any pull loop would): it is not pending
os.queueEvent("marker")
local ev = os.pullEvent()
assert(ev == "marker", "pending event after receive: " .. tostring(ev))
client.send("done")
assert(client.receive() == nil)
print("ok")
