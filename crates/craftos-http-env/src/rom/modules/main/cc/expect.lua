-- cc.expect: argument checks for Lua functions, with cc.expect's texts.
--
--   local expect = require "cc.expect"
--   local function greet(name) expect(1, name, "string") ... end
--
-- `expect(index, value, ...)` returns `value` when its type is one of
-- `...`, else raises `bad argument #N to 'NAME' (T expected, got U)` at the
-- caller of the checking function (the name is the one it was called by,
-- when the debug library can tell; else the message has none).
-- `field(tbl, key, ...)` checks a field; `range(num, min, max)` a number.
-- The module can be called as `expect` itself.

local type, select, error, tostring, rawget, pcall = type, select, error, tostring, rawget, pcall
local format, concat = string.format, table.concat
local getinfo = type(debug) == "table" and debug.getinfo or nil
local getmeta = type(debug) == "table" and debug.getmetatable or getmetatable

-- "string", "number or string", "number, string or table" (no "nil").
local function names_of(...)
  local list, n = {}, 0
  for i = 1, select("#", ...) do
    local t = select(i, ...)
    if t ~= "nil" then n = n + 1; list[n] = t end
  end
  if n <= 1 then return tostring((...)) end
  return concat(list, ", ", 1, n - 1) .. " or " .. list[n]
end

-- A table's or userdata's `__name`, else its type.
local function shown_type(value, t)
  if t ~= "table" and t ~= "userdata" then return t end
  local mt = getmeta(value)
  if type(mt) ~= "table" then return t end
  local name = rawget(mt, "__name")
  if type(name) == "string" then return name end
  return t
end

local function expect(index, value, ...)
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end

  -- The checking function's name, as its caller called it (level 3 seen
  -- from here, with pcall in between).
  local name
  if getinfo then
    local ok, info = pcall(getinfo, 3, "nS")
    if ok and type(info) == "table" and info.name and info.name ~= "" and info.what ~= "C" then
      name = info.name
    end
  end

  local expected, got = names_of(...), shown_type(value, t)
  if name then
    error(format("bad argument #%d to '%s' (%s expected, got %s)", index, name, expected, got), 3)
  end
  error(format("bad argument #%d (%s expected, got %s)", index, expected, got), 3)
end

local function field(tbl, index, ...)
  expect(1, tbl, "table")
  expect(2, index, "string")
  local value = tbl[index]
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  if value == nil then error(format("field '%s' missing from table", index), 3) end
  error(format("bad field '%s' (%s expected, got %s)", index, names_of(...), shown_type(value, t)), 3)
end

local function range(num, min, max)
  expect(1, num, "number")
  min = expect(2, min, "number", "nil") or -math.huge
  max = expect(3, max, "number", "nil") or math.huge
  if min > max then error("min must be less than or equal to max)", 2) end
  if num ~= num or num < min or num > max then
    error(format("number outside of range (expected %s to be within %s and %s)", num, min, max), 3)
  end
  return num
end

return setmetatable(
  { expect = expect, field = field, range = range },
  { __call = function(_, ...) return expect(...) end }
)
