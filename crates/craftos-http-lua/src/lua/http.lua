-- The Lua half of the `http` server API (SEMANTICS sections 0-5).
-- Loaded once per Lua state by `craftos_http_lua::install` with the natives;
-- returns the functions to put in the `http` table. The request and response
-- handles are built in Rust (handles.rs).
local native, FAIL = ...

local error, type, pcall, tonumber, rawequal, ipairs = error, type, pcall, tonumber, rawequal, ipairs

-- listen's callback yields inside a pcall. Lua 5.1 cannot yield across
-- pcall (5.2 and LuaJIT can): there the protected body runs as a coroutine
-- whose yields are passed through to our resumer.
do
  local create, resume, status, yield = coroutine.create, coroutine.resume, coroutine.status, coroutine.yield
  local probe = create(function() return pcall(yield) end)
  resume(probe)
  if status(probe) ~= "suspended" then
    local function pass(co, ok, ...)
      if not ok then return false, ... end
      if status(co) == "dead" then return true, ... end
      return pass(co, resume(co, yield(...)))
    end
    pcall = function(f, ...)
      local co = create(function(...) return f(...) end)
      return pass(co, resume(co, ...))
    end
  end
end

local api = {}

function api.addListener(port)
  local r1, r2 = native.addListener(port)
  if r1 == FAIL then error(r2, 2) end
end

function api.removeListener(port)
  local r1, r2 = native.removeListener(port)
  if r1 == FAIL then error(r2, 2) end
end

-- http.listen(port, callback) (H1-H5).
function api.listen(port, callback)
  local p = tonumber(port)
  if type(port) ~= "number" and (type(port) ~= "string" or p == nil) then
    error(("bad argument #1 to 'listen' (number expected, got %s)"):format(type(port)), 2)
  end
  if type(callback) ~= "function" then
    error(("bad argument #2 to 'listen' (function expected, got %s)"):format(type(callback)), 2)
  end
  local r1, r2 = native.addListener(p)
  if r1 == FAIL then error(r2, 2) end
  p = r1 -- the port as an integer

  local current -- the response being handled, for H4
  local ok, err = pcall(function()
    while true do
      local ev, a, req, res = os.pullEvent()
      if ev == "http_request" then
        if a == p then
          current = res
          local stop = callback(req, res)
          current = nil
          if stop then return end
        end
      elseif ev == "server_stop" then
        if a == nil or a == p or tonumber(a) == p then return end
      end
    end
  end)
  native.removeListener(p)
  if not ok then
    -- H4: answer 500 unless the callback closed its response. Only this
    -- file holds FAIL, so no script can make close() do this.
    if current ~= nil then current.close(FAIL) end
    error(err, 0)
  end
end

-- Waiting (E3-E5) ---------------------------------------------------------

-- Pull events in the calling coroutine with no filter until `match` accepts
-- one (returning true and up to two values) or `timeout` seconds pass (nil).
-- The timer is cancelled when the wait ends early; `terminate` raises
-- `Terminated`.
local function wait(timeout, match)
  local timer = timeout and os.startTimer(timeout)
  while true do
    local ev, a, b, c = os.pullEventRaw()
    if ev == "terminate" then
      if timer then os.cancelTimer(timer) end
      error("Terminated", 0)
    elseif timer and ev == "timer" and a == timer then
      return nil
    end
    local done, v1, v2 = match(ev, a, b, c)
    if done then
      if timer then os.cancelTimer(timer) end
      return v1, v2
    end
  end
end

local function check_timeout(fname, timeout)
  if timeout ~= nil and type(timeout) ~= "number" then
    error(("bad argument #1 to '%s' (number expected, got %s)"):format(fname, type(timeout)), 3)
  end
end

-- WebSocket servers (W1-W10) -----------------------------------------------

function api.websocketServer(port, headers)
  local r1, r2 = native.websocketServer(port, headers)
  if r1 == FAIL then error(r2, 2) end
  if r1 == nil then return nil, r2 end
  local server, p = r1, r2
  local handle = {}
  handle.listen = function(a, b)
    if rawequal(a, handle) then a = b end
    check_timeout("listen", a)
    if native.serverClosed(server) then error("attempt to use a closed file", 2) end
    return wait(a, function(ev, eport, client)
      if ev == "websocket_server_connect" and eport == p then return true, client end
    end)
  end
  handle.close = function()
    native.serverClose(server)
  end
  return handle
end

-- The client handle of a new connection (W4), made once per client when its
-- `websocket_server_connect` event is converted.
local function make_client(client, id)
  local handle = { clientID = id }
  handle.send = function(a, b, c)
    if rawequal(a, handle) then a, b = b, c end
    local r1, r2 = native.clientSend(client, a, b)
    if r1 == FAIL then
      -- `FAIL, true`: the client's outbox is full. Wait (E3) until it has
      -- taken enough, or has gone, and send again: the peer's pace is the
      -- script's.
      while r2 == true do
        wait(nil, function(ev, cid)
          if cid == id and (ev == "websocket_server_send_ready" or ev == "websocket_server_closed") then
            return true
          end
        end)
        r1, r2 = native.clientSend(client, a, b)
        if r1 ~= FAIL then return end
      end
      error(r2, 2)
    end
  end
  handle.receive = function(a, b)
    if rawequal(a, handle) then a = b end
    check_timeout("receive", a)
    local state = native.clientState(client)
    if state == "closed" then error("attempt to use a closed file", 2) end
    if state == "gone" then return nil end
    return wait(a, function(ev, cid, message, binary)
      if cid == id then
        if ev == "websocket_server_message" then return true, message, binary end
        if ev == "websocket_server_closed" then return true, nil end
      end
    end)
  end
  handle.close = function()
    native.clientClose(client)
  end
  return handle
end

-- The client side of `http` (CC's `request`, `get`, `post`, `checkURL`,
-- `websocket` and their Async forms) is not this project's: each raises,
-- saying so, instead of "attempt to call a nil value". `install` adds them
-- only where the `http` table has no such field (an emulator's own client
-- stays).
local client = {}
for _, name in ipairs({
  "request", "get", "post", "checkURL", "checkURLAsync", "websocket", "websocketAsync",
}) do
  local message = ("http.%s is not available: craftos-http serves HTTP "
    .. "(http.listen, http.websocketServer) and has no HTTP client"):format(name)
  client[name] = function() error(message, 2) end
end

return api, make_client, client
