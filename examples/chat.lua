-- A chat server: open http://127.0.0.1:8080/ in two browser tabs and talk.
-- One port carries both the page and the WebSocket (SEMANTICS L7): the
-- HTTP listener (http.addListener) gets plain requests as `http_request`,
-- the WebSocket server (http.websocketServer) gets the upgrades, and one
-- os.pullEvent loop serves both. Every message goes to everyone as
-- "<n>: <message>", where n is a short number given to each connection
-- (its clientID is a light userdata: a fine table key, but not a name).
-- Lines starting with "* " are notices (you are n, n joined, n left).
-- Run: cargo run --release -- examples/chat.lua [PORT]   (default 8080)
local port = tonumber(...) or 8080
local MAX_MESSAGE = 4096 -- longer messages are cut to this many bytes

http.addListener(port)
-- Kept in a local for the whole run: a server handle that is garbage
-- collected closes its server.
local server = assert(http.websocketServer(port))
print(("Chat on http://127.0.0.1:%d/"):format(port))

local PAGE = [==[
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>craftos-http chat</title>
<style>
  body { font-family: sans-serif; max-width: 40em; margin: 2em auto; }
  #log { border: 1px solid #ccc; height: 20em; overflow-y: auto; padding: .5em; }
  #form { display: flex; gap: .5em; margin-top: .5em; }
  #text { flex: 1; }
  .notice { color: #777; }
</style>
</head>
<body>
<h1>Chat</h1>
<div id="log"></div>
<form id="form">
  <input id="text" autocomplete="off" placeholder="Say something" autofocus>
  <button>Send</button>
</form>
<script>
  const log = document.getElementById("log");
  const text = document.getElementById("text");
  function show(line, notice) {
    const div = document.createElement("div");
    div.textContent = line;
    if (notice) div.className = "notice";
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const ws = new WebSocket(scheme + location.host + "/");
  ws.onopen = () => show("* connected", true);
  ws.onmessage = (e) => show(e.data, e.data.startsWith("* "));
  ws.onclose = () => show("* disconnected", true);
  document.getElementById("form").onsubmit = (e) => {
    e.preventDefault();
    if (text.value && ws.readyState === WebSocket.OPEN) ws.send(text.value);
    text.value = "";
  };
</script>
</body>
</html>
]==]

local clients = {} -- clientID -> { handle = client handle, name = number }
local named = 0 -- names given so far

-- Sends `text` to every client but the one with clientID `except`. A
-- client whose websocket_server_closed is still queued has gone already:
-- its send raises, which is ignored here (the event will remove it).
local function broadcast(text, except)
  for id, client in pairs(clients) do
    if id ~= except then pcall(client.handle.send, text) end
  end
end

-- The page at "/", 404 for anything else.
local function serve(req, res)
  local path = req.getURL():match("^[^?#]*")
  local method = req.getMethod()
  if path == "/" and (method == "GET" or method == "HEAD") then
    res.setResponseHeader("Content-Type", "text/html; charset=utf-8")
    res.write(PAGE)
  else
    res.setStatusCode(404)
    res.setResponseHeader("Content-Type", "text/plain; charset=utf-8")
    res.write("not found\n")
  end
  res.close()
end

while true do
  local event, a, b, c = os.pullEvent()
  if event == "http_request" and a == port then
    serve(b, c)
  elseif event == "websocket_server_connect" and a == port then
    named = named + 1
    clients[b.clientID] = { handle = b, name = named }
    pcall(b.send, "* you are " .. named)
    broadcast("* " .. named .. " joined", b.clientID)
  elseif event == "websocket_server_message" then
    local client = clients[a]
    if client then broadcast(client.name .. ": " .. b:sub(1, MAX_MESSAGE)) end
  elseif event == "websocket_server_closed" then
    local client = clients[a]
    if client then
      clients[a] = nil
      broadcast("* " .. client.name .. " left")
    end
  end
end
