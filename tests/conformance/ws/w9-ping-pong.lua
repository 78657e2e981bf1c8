--[==[case
clauses = ["W9"]
summary = "pings are answered with pongs carrying the same payload; neither pings nor pongs make events"
stdout = '''
ok
'''

[[ws]]
actions = [
  { ping = 'abc' },
  { expect_pong = 'abc' },
  { ping = '' },
  { expect_pong = '' },
  { ping = 'ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp' },
  { expect_pong = 'ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp' },
  { ping = '\x00\xFF' },
  { expect_pong = '\x00\xFF' },
  { pong = 'unsolicited' },
  { expect_silence_ms = 200 },
  { send_text = 'after' },
  { expect_text = 'first event: after' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen()
local ev, id, msg = os.pullEvent()
assert(ev == "websocket_server_message", "first event after connect: " .. tostring(ev))
client.send("first event: " .. msg)
assert(client.receive() == nil)
print("ok")
