--[==[case
clauses = ["W6", "E5", "E3"]
summary = "client.receive(timeout) returns nil on timeout, returns the message when one comes first, and leaves no timer (or other) event behind either way"
timeout = 15
stdout = '''
ok
'''

[[ws]]
actions = [
  { expect_text = 'ready', max_ms = 5000 },
  { sleep_ms = 300 },
  { send_text = 'late' },
  { expect_text = 'no stray event', max_ms = 5000 },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
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
local client = server.listen()
local t0 = os.epoch("utc")
local none = client.receive(0.3)
assert(none == nil, "receive(0.3) returned " .. tostring(none))
local waited = os.epoch("utc") - t0
assert(waited >= 250 and waited < 1400, "receive(0.3) waited " .. waited .. " ms")
quiet(0.5, "a receive that timed out")
client.send("ready")
local msg = client.receive(1.5)
assert(msg == "late", "receive(1.5) returned " .. tostring(msg))
quiet(2, "a receive that returned a message")
client.send("no stray event")
assert(client.receive() == nil)
print("ok")
