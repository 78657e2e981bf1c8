-- The textutils functions that print (slowWrite, slowPrint, pagedPrint,
-- tabulate, pagedTabulate) and textutils.complete, as CraftOS-PC's ROM has
-- them, over the globals `term`, `write`, `print`, `sleep`, `read` as they
-- are when called. Loaded by env/textutils.rs with the table to fill.
--
-- Paging: the runner reads lines, not keys. When stdin and stdout are both
-- terminals (`interactive`), a full page waits for Enter after "Press any
-- key to continue"; otherwise (a pipe, a file, a supervisor) everything is
-- printed at once, as there is no one to press a key.
local textutils, G, interactive = ...
local type, select, error, tostring, pairs, next, getmetatable, ipairs =
  type, select, error, tostring, pairs, next, getmetatable, ipairs
local format, sub, find, match, concat, sort, floor, max =
  string.format, string.sub, string.find, string.match, table.concat, table.sort, math.floor, math.max
local pack = table.pack or function(...) return { n = select("#", ...), ... } end

-- `level`: where the error is raised (3: the caller of the API function
-- calling this).
local function check(level, index, name, value, ...)
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  local names = {}
  for i = 1, select("#", ...) do
    local w = select(i, ...)
    if w ~= "nil" then names[#names + 1] = w end
  end
  local wanted = names[#names]
  if #names > 1 then wanted = concat(names, ", ", 1, #names - 1) .. " or " .. wanted end
  error(format("bad argument #%d to '%s' (%s expected, got %s)", index, name, wanted, t), level)
end

local function expect(index, name, value, ...)
  check(4, index, name, value, ...)
end

-- cc.strings.wrap's lines, for slowWrite.
local function wrap(text, width)
  local lines, n, line = {}, 0, ""
  local function flush() n = n + 1; lines[n] = line; line = "" end
  local pos = 1
  while pos <= #text do
    local c = sub(text, pos, pos)
    if c == " " or c == "\t" then
      local blank = match(text, "^[ \t]+", pos)
      line = line .. blank
      pos = pos + #blank
    elseif c == "\n" then
      flush()
      pos = pos + 1
    else
      local word = match(text, "^[^ \t\n]+", pos)
      pos = pos + #word
      if #word > width then
        while #word > 0 do
          local room = width - #line - 1
          if room <= 0 then flush(); room = width end
          line = line .. sub(word, 1, room)
          word = sub(word, room + 1)
        end
      else
        if width - #line < #word then flush() end
        line = line .. word
      end
    end
  end
  flush()
  for i = 1, n do lines[i] = sub(lines[i], 1, width) end
  return lines
end

local function slow_write(text, rate)
  rate = rate or 20
  if rate < 0 then error("Rate must be positive", 3) end
  local delay = 1 / rate
  local width = G.term.getSize()
  local s = concat(wrap(tostring(text), width), "\n")
  for i = 1, #s do
    G.sleep(delay)
    G.write(sub(s, i, i))
  end
end

function textutils.slowWrite(text, rate)
  expect(2, "slowWrite", rate, "number", "nil")
  slow_write(text, rate)
end

function textutils.slowPrint(text, rate)
  expect(2, "slowPrint", rate, "number", "nil")
  slow_write(text, rate)
  G.print()
end

-- Counts printed lines; at the end of a page (first after `first` lines,
-- then every screen height less one) waits for Enter when interactive.
local function pager(first)
  local left = first
  return function(lines)
    if not interactive or not G.read then return end
    left = left - lines
    while left <= 0 do
      local _, h = G.term.getSize()
      G.write("Press any key to continue")
      G.read()
      left = left + max(h - 1, 1)
    end
  end
end

function textutils.pagedPrint(text, free_lines)
  expect(2, "pagedPrint", free_lines, "number", "nil")
  if not interactive then
    if text ~= nil then return G.print(text) end
    return G.print()
  end
  local page = pager((free_lines or 0) + 1)
  local s = text ~= nil and tostring(text) .. "\n" or "\n"
  local printed, start = 0, 1
  while start <= #s do
    local nl = find(s, "\n", start, true)
    printed = printed + G.write(sub(s, start, nl))
    page(1)
    start = nl + 1
  end
  return printed
end

local function tabulate(paged, ...)
  local all = pack(...)
  -- (called by the API function: its caller is level 4)
  for i = 1, all.n do check(4, i, paged and "pagedTabulate" or "tabulate", all[i], "number", "table") end
  local term = G.term
  local w, h = term.getSize()
  local width = w / 8
  for n, t in ipairs(all) do
    if type(t) == "table" then
      for nu, item in pairs(t) do
        local ty = type(item)
        if ty ~= "string" and ty ~= "number" then
          error("bad argument #" .. n .. "." .. nu .. " (string expected, got " .. ty .. ")", 3)
        end
        width = max(#tostring(item) + 1, width)
      end
    end
  end
  local columns = floor(w / width)
  local page = pager(max(h - 2, 1))
  local function new_line()
    G.print()
    if paged then page(1) end
  end
  local function row(items)
    local column = 1
    for _, item in ipairs(items) do
      if column > columns then
        column = 1
        new_line()
      end
      local _, y = term.getCursorPos()
      term.setCursorPos(1 + (column - 1) * width, y)
      term.write(item)
      column = column + 1
    end
    new_line()
  end
  local previous = term.getTextColour()
  for _, t in ipairs(all) do
    if type(t) == "table" then
      if #t > 0 then row(t) end
    elseif type(t) == "number" then
      term.setTextColor(t)
    end
  end
  term.setTextColor(previous)
end

-- (Not tail calls: the errors count this frame.)
function textutils.tabulate(...)
  tabulate(false, ...)
end

function textutils.pagedTabulate(...)
  tabulate(true, ...)
end

-- textutils.complete: Lua completion of `text` against `env` (default:
-- the globals), through `__index` tables.
local keywords = {}
for word in ("and break do else elseif end false for function if in local nil not or repeat return then true until while"):gmatch("%a+") do
  keywords[word] = true
end
local none = {}

function textutils.complete(text, env)
  expect(1, "complete", text, "string")
  expect(2, "complete", env, "table", "nil")
  if keywords[text] then return none end
  local start = 1
  local tbl = env or G
  local dot = find(text, ".", start, true)
  while dot do
    local value = tbl[sub(text, start, dot - 1)]
    if type(value) ~= "table" then return none end
    tbl = value
    start = dot + 1
    dot = find(text, ".", start, true)
  end
  local colon = find(text, ":", start, true)
  if colon then
    local value = tbl[sub(text, start, colon - 1)]
    if type(value) ~= "table" then return none end
    tbl = value
    start = colon + 1
  end

  local part = sub(text, start)
  local results, seen = {}, {}
  while tbl do
    for k, v in pairs(tbl) do
      if not seen[k] and type(k) == "string" and find(k, part, 1, true) == 1
        and not keywords[k] and match(k, "^[%a_][%a%d_]*$") then
        local rest = sub(k, #part + 1)
        if colon then
          if type(v) == "function" then
            results[#results + 1] = rest .. "("
          elseif type(v) == "table" then
            local mt = getmetatable(v)
            if mt and (type(mt.__call) == "function" or type(mt.__call) == "table") then
              results[#results + 1] = rest .. "("
            end
          end
        else
          if type(v) == "function" then
            rest = rest .. "("
          elseif type(v) == "table" and next(v) ~= nil then
            rest = rest .. "."
          end
          results[#results + 1] = rest
        end
      end
      seen[k] = true
    end
    local mt = getmetatable(tbl)
    if mt and type(mt.__index) == "table" then tbl = mt.__index else tbl = nil end
  end
  sort(results)
  return results
end
