--[==[case
clauses = ["W10"]
summary = "the handshake accepts any path, Host and Origin, and negotiates no extension even when the client offers one"
stdout = '''
ok
'''

[[ws]]
path = "/some/deep/path?with=query&x=%20"
headers = { Host = 'example.com', Origin = 'http://evil.example', "Sec-WebSocket-Extensions" = 'permessage-deflate; client_max_window_bits' }
response_headers_absent = ["Sec-WebSocket-Extensions"]
actions = [
  { send_text = 'uncompressed' },
  { expect_text = 'echo uncompressed' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]

[[ws]]
path = "*"
headers = { Host = '', Origin = 'null' }
actions = [
  { send_text = 'second' },
  { expect_text = 'echo second' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
for _ = 1, 2 do
  local client = server.listen()
  local msg = client.receive()
  client.send("echo " .. msg)
  assert(client.receive() == nil)
end
print("ok")
