-- The Lua half of the `http` server API (SEMANTICS sections 0-5).
-- Loaded once per Lua state by `craftos_http_lua::install` with the natives;
-- returns the functions to put in the `http` table and the handle maker.
local native, FAIL = ...

local error, type, rawequal, rawget, rawset, next, pairs, pcall, setmetatable, tonumber =
      error, type, rawequal, rawget, rawset, next, pairs, pcall, setmetatable, tonumber

-- Natives return `FAIL, message` on error, raised here with `error(m, 2)`
-- so the position is the script's call (G2). No tail calls: the level must
-- count the same in every Lua version. `bind0`/`bind1` return no value or
-- one, as CraftOS-PC's functions do. A first argument that is the handle
-- itself is skipped (colon calls, G1).
local EX = {} -- private key holding the exchange userdata

local function bind0(f, handle, ex)
  return function(a, ...)
    local r1, r2
    if rawequal(a, handle) then r1, r2 = f(ex, ...) else r1, r2 = f(ex, a, ...) end
    if r1 == FAIL then error(r2, 2) end
  end
end

local function bind1(f, handle, ex)
  return function(a, ...)
    local r1, r2
    if rawequal(a, handle) then r1, r2 = f(ex, ...) else r1, r2 = f(ex, a, ...) end
    if r1 == FAIL then error(r2, 2) end
    return r1
  end
end

local function bind(spec, handle, ex)
  return spec[2](spec[1], handle, ex)
end

-- Handles are plain tables (G1). Their functions are made on first use and
-- kept, so a request costs two small tables, not a dozen closures; `pairs`
-- sees every method, as CraftOS-PC's handles show them.
local function handle_mt(methods)
  local function fill(t)
    local ex = rawget(t, EX)
    for k, spec in pairs(methods) do
      if rawget(t, k) == nil then rawset(t, k, bind(spec, t, ex)) end
    end
  end
  return {
    __index = function(t, k)
      local spec = methods[k]
      if spec == nil then return nil end
      local f = bind(spec, t, rawget(t, EX))
      rawset(t, k, f)
      return f
    end,
    __pairs = function(t)
      fill(t)
      return function(_, k)
        local nk, v = next(t, k)
        if rawequal(nk, EX) then nk, v = next(t, nk) end
        return nk, v
      end, t, nil
    end,
  }
end

local request_mt = handle_mt {
  read = { native.read, bind1 },
  readLine = { native.readLine, bind1 },
  readAll = { native.readAll, bind1 },
  close = { native.requestClose, bind0 },
  getURL = { native.getURL, bind1 },
  getMethod = { native.getMethod, bind1 },
  getRequestHeaders = { native.getRequestHeaders, bind1 },
}

local response_mt = handle_mt {
  write = { native.write, bind0 },
  writeLine = { native.writeLine, bind0 },
  flush = { native.flush, bind0 },
  close = { native.responseClose, bind0 },
  setStatusCode = { native.setStatusCode, bind0 },
  setResponseHeader = { native.setResponseHeader, bind0 },
}

-- The request and response handles of one exchange.
local function make_handles(ex)
  return setmetatable({ [EX] = ex }, request_mt), setmetatable({ [EX] = ex }, response_mt)
end

-- Header tables look names up case-insensitively (R4).
local headers_mt = {
  __index = function(t, k)
    if type(k) ~= "string" then return nil end
    local lk = k:lower()
    for name, v in next, t do
      if type(name) == "string" and name:lower() == lk then return v end
    end
    return nil
  end,
}

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
    if current ~= nil then native.fail(rawget(current, EX), 500) end
    error(err, 0)
  end
end

return api, make_handles, headers_mt
