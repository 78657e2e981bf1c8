--[==[case
clauses = ["W10", "W2"]
summary = "with --ws-origin, handshakes from other origins (or none) are refused with 403 and make no event; the listed origins are accepted"
ext = ["W10"]
runner_args = ["--ws-origin", "http://good.example", "--ws-origin", "https://also.example:8443"]
stdout = '''
ok
'''

[[ws]]
headers = { Origin = 'http://evil.example' }
status = 403

[[ws]]
status = 403

[[ws]]
headers = { Origin = 'http://GOOD.example' }
status = 403

[[ws]]
headers = { Origin = 'http://good.example' }
actions = [
  { expect_text = 'welcome 1' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]

[[ws]]
headers = { Origin = 'https://also.example:8443' }
actions = [
  { expect_text = 'welcome 2' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local n = 0
while n < 2 do
  local ev, a, b = os.pullEvent()
  assert(ev == "websocket_server_connect" or ev == "websocket_server_closed", "unexpected event " .. tostring(ev))
  if ev == "websocket_server_connect" then
    n = n + 1
    b.send("welcome " .. n)
  end
end
local ev = os.pullEvent("websocket_server_closed")
print("ok")
