-- The Lua half of the `http` server API (SEMANTICS sections 0-5).
-- Loaded once per Lua state by `craftos_http_lua::install` with the natives;
-- returns the functions to put in the `http` table. The request and response
-- handles are built in Rust (handles.rs).
local native, FAIL = ...

local error, type, pcall, tonumber = error, type, pcall, tonumber

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

return api
