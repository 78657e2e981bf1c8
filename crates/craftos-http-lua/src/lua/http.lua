-- The Lua half of the `http` server API (SEMANTICS sections 0-5).
-- Loaded once per Lua state by `craftos_http_lua::install` with the natives;
-- returns the functions to put in the `http` table and the handle maker.
local native, FAIL = ...

local error, type, rawequal, next, ipairs, pcall, tonumber, table =
      error, type, rawequal, next, ipairs, pcall, tonumber, table

-- Handles are plain tables of functions called with a dot (G1), built by
-- one generated constructor per request: two table constructors and one
-- closure per method, no metatables, so `pairs` sees what CraftOS-PC shows.
--
-- Natives return `FAIL, message` on error, raised here with `error(m, 2)`
-- so the position is the script's call (G2); no tail calls, so the level
-- counts the same in every Lua version. Each method returns no value or
-- one, as CraftOS-PC's do. A first argument that is the handle itself is
-- skipped (colon calls, G1).
local REQUEST = {
  { "read", "read", 1 },
  { "readLine", "readLine", 1 },
  { "readAll", "readAll", 1 },
  { "close", "requestClose", 0 },
  { "getURL", "getURL", 1 },
  { "getMethod", "getMethod", 1 },
  { "getRequestHeaders", "getRequestHeaders", 1 },
}
local RESPONSE = {
  { "write", "write", 0 },
  { "writeLine", "writeLine", 0 },
  { "flush", "flush", 0 },
  { "close", "responseClose", 0 },
  { "setStatusCode", "setStatusCode", 0 },
  { "setResponseHeader", "setResponseHeader", 0 },
}

local function constructor_source()
  local used, params = {}, {}
  local function methods(handle, specs)
    local out = {}
    for _, spec in ipairs(specs) do
      local name, nat, returns = spec[1], spec[2], spec[3]
      if not used[nat] then used[nat] = true; params[#params + 1] = nat end
      out[#out + 1] = ([[
    %s = function(a, ...)
      local r1, r2
      if rawequal(a, %s) then r1, r2 = %s(ex, ...) else r1, r2 = %s(ex, a, ...) end
      if r1 == FAIL then error(r2, 2) end
      %s
    end,]]):format(name, handle, nat, nat, returns == 1 and "return r1" or "")
    end
    return table.concat(out, "\n")
  end
  local req = methods("req", REQUEST)
  local res = methods("res", RESPONSE)
  return ("local FAIL, error, rawequal, %s = ...\n"):format(table.concat(params, ", "))
    .. "return function(ex)\n  local req, res\n  req = {\n" .. req .. "\n  }\n  res = {\n"
    .. res .. "\n  }\n  return req, res\nend\n", params
end

local unpack = table.unpack or unpack

local function build_constructor()
  local source, params = constructor_source()
  local args = { FAIL, error, rawequal }
  for i, name in ipairs(params) do args[3 + i] = native[name] end
  local compile = loadstring or load
  local chunk = assert(compile(source, "=http.handles"))
  return chunk(unpack(args, 1, 3 + #params))
end

-- make_handles(exchange) -> request, response
local make_handles = build_constructor()

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

return api, make_handles
