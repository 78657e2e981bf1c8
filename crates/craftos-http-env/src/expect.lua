-- Argument checks shared by the environment's Lua APIs (env/mod.rs),
-- worded as cc.expect words them, with the function's name (G3):
--   bad argument #N to 'NAME' (T expected, got U)
-- raised at the caller of the API function: call them directly from it,
-- never as a tail call (the error level counts on that frame).

local type, select, error, getmetatable, rawget, tostring = type, select, error, getmetatable, rawget, tostring
local concat, format = table.concat, string.format

-- The type a message names: a table or userdata's metatable `__name` when
-- it has one (so a vector is a "vector"), as cc.expect does.
local function display_type(value)
  local t = type(value)
  if t == "table" or t == "userdata" then
    local mt = getmetatable(value)
    if type(mt) == "table" then
      local name = rawget(mt, "__name")
      if type(name) == "string" then return name end
    end
  end
  return t
end

-- "string", "number or string", "number, string or table" ("nil" left out).
local function type_list(...)
  local list, n = {}, 0
  for i = 1, select("#", ...) do
    local t = select(i, ...)
    if t ~= "nil" then n = n + 1; list[n] = t end
  end
  if n == 0 then return "nil" end
  if n == 1 then return list[1] end
  return concat(list, ", ", 1, n - 1) .. " or " .. list[n]
end

-- `value` when its type is one of `...`, else the error at level 3.
local function expect(index, name, value, ...)
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  error(format("bad argument #%d to '%s' (%s expected, got %s)", index, name, type_list(...), display_type(value)), 3)
end

-- `tbl[key]` when its type is one of `...`, else cc.expect's field errors.
local function field(tbl, key, ...)
  local value = tbl[key]
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  if value == nil then error(format("field '%s' missing from table", key), 3) end
  error(format("bad field '%s' (%s expected, got %s)", key, type_list(...), display_type(value)), 3)
end

return {
  expect = expect,
  field = field,
  type_list = type_list,
  display_type = display_type,
}
