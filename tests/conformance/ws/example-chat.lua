--[==[case
clauses = ["L7", "W8"]
summary = "examples/chat.lua: GET / serves the HTML page from the HTTP listener of the port that also carries the websocket server; two websocket clients see each other's messages broadcast as '<n>: <message>', and joins and leaves as notices"
files = ["../../../examples/chat.lua"]
ext = ["L7"]
kill_after_requests = true
stdout_contains = ["Chat on http://127.0.0.1:"]

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers = { "Content-Type" = "text/html; charset=utf-8" }
body_contains = ["<!DOCTYPE html>", "new WebSocket(", "</html>"]

[[step]]
send = 'GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n'
status = 404

# Each client's welcome is sent once the script has taken the client in,
# so the order of what follows does not depend on timing.
[[ws]]
id = "a"
actions = [{ expect_text = '* you are 1' }]

[[ws]]
id = "b"
actions = [{ expect_text = '* you are 2' }]

[[ws]]
id = "a"
actions = [
  { expect_text = '* 2 joined' },
  { send_text = 'hello from a' },
  { expect_text = '1: hello from a' },
]

[[ws]]
id = "b"
actions = [
  { expect_text = '1: hello from a' },
  { send_text = 'hi a' },
  { expect_text = '2: hi a' },
]

[[ws]]
id = "a"
actions = [
  { expect_text = '2: hi a' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]

[[ws]]
id = "b"
actions = [
  { expect_text = '* 1 left' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]

# The page is still served after the websocket clients have gone.
[[concurrent]]
count = 2
send = 'GET /?from={i} HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
headers = { "Content-Type" = "text/html; charset=utf-8" }
]==]
-- Runs the example itself, copied beside this script (files), and the
-- example reads its port from `...` as this script does.
local chat = assert(loadfile("chat.lua"))
chat(...)
