--[==[case
clauses = ["X21", "X22", "W2"]
summary = "with --max-connections 1 and a WebSocket client connected, one more connection is answered 503 with Retry-After and closed, with no event; the connected client is served as before"
ext = ["X21"]
runner_args = ["--max-connections", "1"]
stdout = '''
echoed 2
no second client
'''

[[ws]]
id = "a"
actions = [
  { send_text = 'one' },
  { expect_text = 'one' },
]

[[ws]]
status = 503
response_headers = { "Retry-After" = '1' }

[[ws]]
id = "a"
actions = [
  { send_text = 'two' },
  { expect_text = 'two' },
  { close = 1000 },
  { expect_close = 1000 },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local client = server.listen(5)
local n = 0
while true do
  local message = client.receive(5)
  if message == nil then break end
  n = n + 1
  client.send(message)
end
print("echoed " .. n)
print(server.listen(0.2) == nil and "no second client" or "a second client")
server.close()
