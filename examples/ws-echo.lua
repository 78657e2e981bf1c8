-- A WebSocket echo server: every message comes back as it came (text or
-- binary), to any number of clients, keyed by their clientID.
-- Used by the Autobahn test suite and `cargo xtask bench ws`.
-- Run: cargo run --release -- examples/ws-echo.lua [PORT]   (default 8080)
local port = tonumber((...)) or 8080
local server = assert(http.websocketServer(port))
print("WebSocket echo on ws://127.0.0.1:" .. port .. "/")
local clients = {}
while true do
  local event, a, b, c = os.pullEvent()
  if event == "websocket_server_connect" and a == port then
    clients[b.clientID] = b
  elseif event == "websocket_server_message" then
    local client = clients[a]
    -- The client may have been closed since its message was queued (a
    -- protocol error, an oversized message): then send raises, W6.
    if client then pcall(client.send, b, c) end
  elseif event == "websocket_server_closed" then
    clients[a] = nil
  end
end
