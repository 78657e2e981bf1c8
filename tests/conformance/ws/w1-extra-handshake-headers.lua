--[==[case
clauses = ["W1", "W10"]
summary = "the headers table of websocketServer adds headers to the 101 handshake response"
ext = ["W1"]
stdout = '''
ok
'''

[[ws]]
response_headers = { "X-Server" = 'craftos', "X-Empty" = '', "Cache-Control" = 'no-store' }
response_headers_absent = ["Sec-WebSocket-Extensions"]
actions = [
  { expect_text = 'hi' },
  { close = 1000 },
  { expect_close = 1000 },
  { expect_eof = true },
]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port, {
  ["X-Server"] = "craftos",
  ["X-Empty"] = "",
  ["Cache-Control"] = "no-store",
}))
local client = server.listen()
client.send("hi")
assert(client.receive() == nil)
print("ok")
