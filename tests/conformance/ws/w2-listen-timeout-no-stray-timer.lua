--[==[case
clauses = ["W2", "E5", "E3"]
summary = "server.listen(timeout) returns nil on timeout, returns the client when one connects first, and leaves no timer (or other) event behind either way"
timeout = 15
stdout = '''
ok
'''

[[ws]]
delay_ms = 1500
actions = [
  { expect_text = 'no stray event', max_ms = 8000 },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
-- Timeline: listen(0.3) times out at 0.3 s; 0.5 s of quiet; listen(2) starts at
-- about 0.8 s and the client connects at about 1.5 s, so the 2 s timer of that
-- listen (due at 2.8 s) must have been cancelled: 2 s of quiet follow.
local port = tonumber(...)
local function quiet(secs, what)
  local timer = os.startTimer(secs)
  while true do
    local ev, a = os.pullEventRaw()
    if ev == "timer" and a == timer then return end
    error(("stray event after %s: %s %s"):format(what, tostring(ev), tostring(a)), 2)
  end
end
local server = assert(http.websocketServer(port))
local t0 = os.epoch("utc")
local none = server.listen(0.3)
assert(none == nil, "listen(0.3) returned " .. tostring(none))
local waited = os.epoch("utc") - t0
assert(waited >= 250 and waited < 1400, "listen(0.3) waited " .. waited .. " ms")
quiet(0.5, "a listen that timed out")
local client = server.listen(2)
assert(type(client) == "table", "listen(2) returned " .. tostring(client))
quiet(2, "a listen that returned a client")
client.send("no stray event")
assert(client.receive() == nil)
print("ok")
