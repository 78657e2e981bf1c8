-- The Lua half of `textutils` (SEMANTICS X6). Loaded once per Lua state by
-- `craftos_http_env::textutils::install` with the natives; returns the
-- table to install as the global `textutils`.
--
-- Behaviour follows CraftOS-PC's ROM (rom/apis/textutils.lua, the same code
-- as CC: Tweaked's) running on CraftOS-PC's Lua 5.2: `serialize` quotes
-- strings as CraftOS-PC's `%q` does and writes numbers as its `tostring`
-- ("%.14g"); the JSON functions give CC: Tweaked's output. JSON parsing is
-- native (`json_decode`), for speed on large bodies.
-- `load`: Lua 5.2's (it takes a string), also on Lua 5.1.
local natives, FAIL, load = ...

local type, next, pairs, tostring, error, pcall, select, setmetatable, rawget =
      type, next, pairs, tostring, error, pcall, select, setmetatable, rawget
local debug = debug
local getinfo = debug and debug.getinfo
local getmetatable = debug and debug.getmetatable or getmetatable
local format, gsub, find, match, char = string.format, string.gsub, string.find, string.match, string.char
local concat = table.concat
local floor, huge = math.floor, math.huge
local json_decode, json_unicode = natives.json_decode, natives.json_unicode

local textutils = {}

---------------------------------------------------------------------------
-- Argument checks, worded as cc.expect words them (G3). The function name is
-- the one the caller used (as cc.expect finds it), or the canonical one when
-- the caller has none (a call from C, e.g. `pcall(textutils.serialize, ...)`).

local function display_type(v)
  local t = type(v)
  if t == "table" or t == "userdata" then
    local mt = getmetatable(v)
    if type(mt) == "table" then
      local name = rawget(mt, "__name")
      if type(name) == "string" then return name end
    end
  end
  return t
end

local function type_list(...)
  local list, n = {}, 0
  for i = 1, select("#", ...) do
    local t = select(i, ...)
    if t ~= "nil" then n = n + 1; list[n] = t end
  end
  if n <= 1 then return (...) end
  return concat(list, ", ", 1, n - 1) .. " or " .. list[n]
end

-- Must be called directly (not as a tail call) by the API function.
local function expect(index, fname, value, ...)
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  local name = fname
  if getinfo then
    local ok, info = pcall(getinfo, 3, "n")
    if ok and type(info) == "table" and type(info.name) == "string" and info.name ~= "" then
      name = info.name
    end
  end
  error(format("bad argument #%d to '%s' (%s expected, got %s)",
    index, name, type_list(...), display_type(value)), 3)
end

-- Must be called directly (not as a tail call) by the API function.
local function field(tbl, key, ...)
  local value = tbl[key]
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  if value == nil then error(format("field '%s' missing from table", key), 3) end
  error(format("bad field '%s' (%s expected, got %s)", key, type_list(...), display_type(value)), 3)
end

---------------------------------------------------------------------------
-- Sentinels.

local function sentinel(text, name)
  local message = "attempt to mutate textutils." .. name
  return setmetatable({}, {
    __newindex = function() error(message, 2) end,
    __tostring = function() return text end,
  })
end

local empty_json_array = sentinel("[]", "empty_json_array")
local json_null = sentinel("null", "json_null")
textutils.empty_json_array = empty_json_array
textutils.json_null = json_null

---------------------------------------------------------------------------
-- serialize / unserialize.

-- Lua 5.2 keywords as CraftOS-PC's list has them (without `goto`).
local keywords = {}
for word in ("and break do else elseif end false for function if in local nil not or repeat return then true until while"):gmatch("%a+") do
  keywords[word] = true
end

-- CraftOS-PC's `%q`: `"`, `\` and newline get a backslash, CR is `\r`, NUL
-- is `\000`; every other byte is kept as it is.
local quote_map = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\\n", ["\r"] = "\\r", ["\0"] = "\\000" }
local function quote(s)
  return '"' .. gsub(s, '[\\"\n\r%z]', quote_map) .. '"'
end

local function serialize_value(value, compact, allow_repetitions)
  local open, step, open_key, close_key, equal, comma = "{\n", "  ", "[ ", " ] = ", " = ", ",\n"
  if compact then
    open, step, open_key, close_key, equal, comma = "{", "", "[", "]=", "=", ","
  end
  local buf, n, tracking = {}, 0, {}

  local emit
  emit = function(v, indent)
    local t = type(v)
    if t == "table" then
      local state = tracking[v]
      if state ~= nil then
        if state then error("Cannot serialize table with recursive entries", 0) end
        error("Cannot serialize table with repeated entries", 0)
      end
      tracking[v] = true

      if next(v) == nil then
        n = n + 1; buf[n] = "{}"
      else
        local inner = indent .. step
        n = n + 1; buf[n] = open
        -- The sequence 1, 2, ... (raw) first, then every other key in `next` order.
        local len = 0
        while true do
          local item = rawget(v, len + 1)
          if item == nil then break end
          len = len + 1
          n = n + 1; buf[n] = inner
          emit(item, inner)
          n = n + 1; buf[n] = comma
        end
        for k, item in next, v do
          local tk = type(k)
          if not (tk == "number" and k >= 1 and k <= len and floor(k) == k) then
            n = n + 1; buf[n] = inner
            if tk == "string" and not keywords[k] and match(k, "^[%a_][%a%d_]*$") then
              n = n + 1; buf[n] = k
              n = n + 1; buf[n] = equal
            else
              n = n + 1; buf[n] = open_key
              emit(k, inner)
              n = n + 1; buf[n] = close_key
            end
            emit(item, inner)
            n = n + 1; buf[n] = comma
          end
        end
        n = n + 1; buf[n] = indent
        n = n + 1; buf[n] = "}"
      end

      if allow_repetitions then tracking[v] = nil else tracking[v] = false end
    elseif t == "string" then
      n = n + 1; buf[n] = quote(v)
    elseif t == "number" then
      local s
      if v ~= v then s = "0/0"
      elseif v == huge then s = "1/0"
      elseif v == -huge then s = "-1/0"
      else s = format("%.14g", v) end
      n = n + 1; buf[n] = s
    elseif t == "boolean" or t == "nil" then
      n = n + 1; buf[n] = tostring(v)
    else
      error("Cannot serialize type " .. t, 0)
    end
  end

  emit(value, "")
  return concat(buf, "", 1, n)
end

function textutils.serialize(t, opts)
  expect(2, "serialize", opts, "table", "nil")
  local compact, allow_repetitions = false, false
  if opts then
    compact = field(opts, "compact", "boolean", "nil")
    allow_repetitions = field(opts, "allow_repetitions", "boolean", "nil")
  end
  local result = serialize_value(t, compact, allow_repetitions)
  return result
end
textutils.serialise = textutils.serialize

function textutils.unserialize(s)
  expect(1, "unserialize", s, "string")
  local func = load("return " .. s, "unserialize", "t", {})
  if func then
    local ok, result = pcall(func)
    if ok then return result end
  end
  return nil
end
textutils.unserialise = textutils.unserialize

---------------------------------------------------------------------------
-- serializeJSON.

-- Control bytes, `"`, `\` and bytes 0x7F-0xFF, as CC: Tweaked escapes them.
local json_map = {}
for i = 0, 31 do json_map[char(i)] = format("\\u%04X", i) end
for i = 127, 255 do json_map[char(i)] = format("\\u%04X", i) end
json_map["\b"], json_map["\f"], json_map["\n"], json_map["\r"], json_map["\t"] = "\\b", "\\f", "\\n", "\\r", "\\t"
json_map['"'], json_map["\\"] = '\\"', "\\\\"

-- The error raised for a string that is not UTF-8 under `unicode_strings`:
-- caught by serializeJSON and raised again at the caller's position.
local utf8_error_mt = {}

local function json_string(s, unicode)
  if unicode and find(s, "[\128-\255]") then
    local r, message = json_unicode(s)
    if r == FAIL then error(setmetatable({ message = message }, utf8_error_mt), 0) end
    return r
  end
  return '"' .. gsub(s, '[%z\1-\31"\\\127-\255]', json_map) .. '"'
end

-- More array slots than this is an error (CC would hang or run out of memory).
local MAX_ARRAY_INDEX = 2 ^ 24

local function encode_json(value, nbt_style, unicode, allow_repetitions)
  local buf, n, tracking = {}, 0, {}
  -- Object keys repeat (arrays of records): each is encoded once.
  local keys = {}

  local emit
  emit = function(v)
    local t = type(v)
    if v == empty_json_array then
      n = n + 1; buf[n] = "[]"
    elseif v == json_null then
      n = n + 1; buf[n] = "null"
    elseif t == "table" then
      local state = tracking[v]
      if state ~= nil then
        if state then error("Cannot serialize table with recursive entries", 0) end
        error("Cannot serialize table with repeated entries", 0)
      end
      tracking[v] = true

      if next(v) == nil then
        n = n + 1; buf[n] = "{}"
      else
        -- String keys make an object, in `pairs` order; numeric keys only
        -- make an array up to the largest, with `null` in the holes. The
        -- array is built (for its errors) even when the object wins.
        n = n + 1; buf[n] = "{"
        local open_at, members, largest = n, 0, 0
        for k, item in pairs(v) do
          local tk = type(k)
          if tk == "string" then
            if members > 0 then n = n + 1; buf[n] = "," end
            local key = keys[k]
            if not key then
              if nbt_style then key = k .. ":" else key = json_string(k, unicode) .. ":" end
              keys[k] = key
            end
            n = n + 1; buf[n] = key
            emit(item)
            members = members + 1
          elseif tk == "number" and k > largest then
            largest = k
          end
        end
        if largest > MAX_ARRAY_INDEX then
          error("Cannot serialize table with huge array index", 0)
        end
        local object = members > 0 or largest < 1
        local array_at = n
        for k = 1, largest do
          if k > 1 then n = n + 1; buf[n] = "," end
          local item = v[k]
          if item == nil then
            n = n + 1; buf[n] = "null"
          else
            emit(item)
          end
        end
        if object then
          n = array_at
          n = n + 1; buf[n] = "}"
        else
          buf[open_at] = "["
          n = n + 1; buf[n] = "]"
        end
      end

      if allow_repetitions then tracking[v] = nil else tracking[v] = false end
    elseif t == "string" then
      n = n + 1; buf[n] = json_string(v, unicode)
    elseif t == "number" then
      local s
      if v ~= v then s = "nan"
      elseif v == huge then s = "inf"
      elseif v == -huge then s = "-inf"
      else s = format("%.14g", v) end
      n = n + 1; buf[n] = s
    elseif t == "boolean" then
      n = n + 1; buf[n] = tostring(v)
    else
      error("Cannot serialize type " .. t, 0)
    end
  end

  emit(value)
  return concat(buf, "", 1, n)
end

function textutils.serializeJSON(t, options)
  expect(1, "serializeJSON", t, "table", "string", "number", "boolean")
  expect(2, "serializeJSON", options, "table", "boolean", "nil")
  local nbt_style, unicode, allow_repetitions = false, false, false
  if type(options) == "boolean" then
    nbt_style = options
  elseif options then
    nbt_style = field(options, "nbt_style", "boolean", "nil")
    unicode = field(options, "unicode_strings", "boolean", "nil")
    allow_repetitions = field(options, "allow_repetitions", "boolean", "nil")
  end
  local ok, result = pcall(encode_json, t, nbt_style, unicode, allow_repetitions)
  if ok then return result end
  if type(result) == "table" and getmetatable(result) == utf8_error_mt then
    error(result.message, 2)
  end
  error(result, 0)
end
textutils.serialiseJSON = textutils.serializeJSON

---------------------------------------------------------------------------
-- unserializeJSON.

function textutils.unserializeJSON(s, options)
  expect(1, "unserializeJSON", s, "string")
  expect(2, "unserializeJSON", options, "table", "nil")
  local nbt_style, parse_null, parse_empty_array = false, false, nil
  if options then
    nbt_style = field(options, "nbt_style", "boolean", "nil")
    parse_null = field(options, "parse_null", "boolean", "nil")
    parse_empty_array = field(options, "parse_empty_array", "boolean", "nil")
  end
  local ok, result = json_decode(s, nbt_style == true, parse_null == true,
    parse_empty_array ~= false, json_null, empty_json_array)
  if ok == FAIL then error(result, 0) end
  if ok then return result end
  return nil, result
end
textutils.unserialiseJSON = textutils.unserializeJSON

---------------------------------------------------------------------------
-- urlEncode, formatTime.

-- Letters, digits, `-`, `_` and `.` stay; space is `+`; other bytes below
-- 0x80 are `%XX`; bytes from 0x80 are taken as Latin-1 and written as the
-- two `%XX` of their UTF-8 form.
local url_map = {}
for i = 0, 255 do
  if i == 32 then
    url_map[" "] = "+"
  elseif i < 128 then
    url_map[char(i)] = format("%%%02X", i)
  else
    url_map[char(i)] = format("%%%02X%%%02X", 192 + floor(i / 64) % 32, 128 + i % 64)
  end
end

function textutils.urlEncode(str)
  expect(1, "urlEncode", str, "string")
  str = gsub(str, "\n", "\r\n")
  str = gsub(str, "[^A-Za-z0-9%-%_%.]", url_map)
  return str
end

function textutils.formatTime(time, twenty_four_hour)
  expect(1, "formatTime", time, "number")
  expect(2, "formatTime", twenty_four_hour, "boolean", "nil")
  local suffix
  if not twenty_four_hour then
    suffix = time >= 12 and "PM" or "AM"
    if time >= 13 then time = time - 12 end
  end
  local hour = floor(time)
  local minute = floor((time - hour) * 60)
  if suffix then
    if hour == 0 then hour = 12 end
    return format("%d:%02d %s", hour, minute, suffix)
  end
  return format("%d:%02d", hour, minute)
end

return textutils
