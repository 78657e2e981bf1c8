-- cc.pretty: documents that lay themselves out to fit the screen (after
-- Wadler's "A prettier printer"), and a pretty printer for Lua values.
--
--   local pretty = require "cc.pretty"
--   pretty.pretty_print({ 1, 2, 3 })          --> { 1, 2, 3 }
--   pretty.print(pretty.group(pretty.text("hello") .. pretty.space_line .. pretty.text("world")))
--
-- Documents: `text(s[, colour])`, `empty`, `space`, `line` (a newline, or
-- nothing when its group fits on one line), `space_line` (a newline, or a
-- space), `concat(...)` (also `a .. b`), `nest(depth, doc)`, `group(doc)`.
-- Output: `write(doc[, ribbon_frac])`, `print(doc[, ribbon_frac])` to the
-- terminal, `render(doc[, width[, ribbon_frac]])` to a string (also
-- `tostring(doc)`). Values: `pretty(value[, options])` and
-- `pretty_print(value[, options[, ribbon_frac]])`.

local expect = require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")
local expect, field = expect.expect, expect.field
local type, getmetatable, setmetatable, tostring, select, pairs, next = type, getmetatable, setmetatable, tostring, select, pairs, next
local format, rep, concat_strings, sort, unpack = string.format, string.rep, table.concat, table.sort, table.unpack or unpack
local huge = math.huge
local colours, term_write = colours, write
local debug_info = type(debug) == "table" and debug.getinfo or nil
local debug_local = type(debug) == "table" and debug.getlocal or nil

local Doc = {}
local function doc_of(t) return setmetatable(t, Doc) end
local function is_doc(v) return getmetatable(v) == Doc end

local empty = doc_of({ tag = "nil" })
local space = doc_of({ tag = "text", text = " " })
local line = doc_of({ tag = "line", flat = empty })
local space_line = doc_of({ tag = "line", flat = space })

local cached = { [""] = empty, [" "] = space, ["\n"] = space_line }

local function plain_text(s, colour)
  return cached[s] or doc_of({ tag = "text", text = s, colour = colour })
end

local function push(node, d)
  node.n = node.n + 1
  node[node.n] = d
end

-- Text; each newline in it becomes a `space_line`.
local function text(s, colour)
  expect(1, s, "string")
  expect(2, colour, "number", "nil")
  if cached[s] then return cached[s] end
  if not s:find("\n", 1, true) then return plain_text(s, colour) end
  local node = doc_of({ tag = "concat", n = 0 })
  local start = 1
  while true do
    local nl = s:find("\n", start, true)
    local piece = nl and s:sub(start, nl - 1) or s:sub(start)
    if piece ~= "" then push(node, plain_text(piece, colour)) end
    if not nl then break end
    push(node, space_line)
    start = nl + 1
  end
  return node
end

local function concat(...)
  local n = select("#", ...)
  local node = { tag = "concat", n = n, ... }
  for i = 1, n do
    if type(node[i]) == "string" then node[i] = text(node[i]) end
    if not is_doc(node[i]) then expect(i, node[i], "document") end
  end
  if n == 0 then return empty end
  if n == 1 then return node[1] end
  return doc_of(node)
end
Doc.__concat = concat

local function nest(depth, doc)
  expect(1, depth, "number")
  if not is_doc(doc) then expect(2, doc, "document") end
  if depth <= 0 then error("depth must be a positive number", 2) end
  return doc_of({ tag = "nest", depth = depth, doc })
end

-- The document laid out on one line (lines replaced by their flat form).
local function flatten(doc)
  if doc.flat then return doc.flat end
  local tag = doc.tag
  if tag == "nil" or tag == "text" then return doc end
  if tag == "concat" then
    local flat = doc_of({ tag = "concat", n = doc.n })
    for i = 1, doc.n do flat[i] = flatten(doc[i]) end
    doc.flat, flat.flat = flat, flat
    return flat
  end
  if tag == "nest" then return flatten(doc[1]) end
  if tag == "group" then return doc[1] end
  error("Unknown doc " .. tostring(tag))
end

local function group(doc)
  if not is_doc(doc) then expect(1, doc, "document") end
  if doc.tag == "group" then return doc end
  local flat = flatten(doc)
  if flat == doc then return doc end
  return doc_of({ tag = "group", flat, doc })
end

-- How much of `width` is left after the (flat) document.
local function remaining(doc, width)
  local tag = doc.tag
  if tag == "text" then return width - #doc.text end
  if tag == "concat" then
    for i = 1, doc.n do
      width = remaining(doc[i], width)
      if width < 0 then break end
    end
  end
  return width
end

local function ribbon(width, frac)
  local r = (frac or 0.6) * width
  if r < 0 then r = 0 end
  if r > width then r = width end
  return r
end

-- Walk `doc` laid out for `width` (nil: all on one line), calling
-- out.text(s, colour) and out.line(indent).
local function layout(doc, width, ribbon_width, col, out)
  local function go(d, indent, c)
    local tag = d.tag
    if tag == "nil" then
      return c
    elseif tag == "text" then
      out.text(d.text, d.colour)
      return c + #d.text
    elseif tag == "line" then
      out.line(indent)
      return indent
    elseif tag == "concat" then
      for i = 1, d.n do c = go(d[i], indent, c) end
      return c
    elseif tag == "nest" then
      return go(d[1], indent + d.depth, c)
    elseif tag == "group" then
      local limit = width and (width < ribbon_width + indent and width or ribbon_width + indent) - c
      if not width or remaining(d[1], limit) >= 0 then return go(d[1], indent, c) end
      return go(d[2], indent, c)
    end
    error("Unknown doc " .. tostring(tag))
  end
  go(doc, 0, col)
end

local function write(doc, ribbon_frac)
  if not is_doc(doc) then expect(1, doc, "document") end
  expect(2, ribbon_frac, "number", "nil")
  local term = term
  local width, height = term.getSize()
  local default_colour = term.getTextColour()
  local current = default_colour
  local x = term.getCursorPos()
  layout(doc, width, ribbon(width, ribbon_frac), x - 1 > 0 and x - 1 or 0, {
    text = function(s, colour)
      colour = colour or default_colour
      if colour ~= current then
        term.setTextColour(colour)
        current = colour
      end
      term_write(s)
    end,
    line = function(indent)
      local _, y = term.getCursorPos()
      if y < height then
        term.setCursorPos(indent + 1, y + 1)
      else
        term.scroll(1)
        term.setCursorPos(indent + 1, height)
      end
    end,
  })
  if current ~= default_colour then term.setTextColour(default_colour) end
end

local function print(doc, ribbon_frac)
  if not is_doc(doc) then expect(1, doc, "document") end
  expect(2, ribbon_frac, "number", "nil")
  write(doc, ribbon_frac)
  term_write("\n")
end

local function render(doc, width, ribbon_frac)
  if not is_doc(doc) then expect(1, doc, "document") end
  expect(2, width, "number", "nil")
  expect(3, ribbon_frac, "number", "nil")
  local parts, n = {}, 0
  layout(doc, width, width and ribbon(width, ribbon_frac), 0, {
    text = function(s) n = n + 1; parts[n] = s end,
    line = function(indent) n = n + 1; parts[n] = "\n" .. rep(" ", indent) end,
  })
  return concat_strings(parts, "", 1, n)
end
Doc.__tostring = render

-- Pretty printing values --------------------------------------------------

local keywords = {}
for word in ("and break do else elseif end false for function if in local nil not or repeat return then true until while"):gmatch("%a+") do
  keywords[word] = true
end

local comma, braces = text(","), text("{}")
local open_brace, close_brace = text("{"), text("}")
local open_key, close_key = text("["), text("] = ")

-- Strings first (in order), then numbers (in order), then the rest.
local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta == "string" then return tb ~= "string" or a < b end
  if tb == "string" then return false end
  if ta == "number" then return tb ~= "number" or a < b end
  return false
end

-- A string as CraftOS-PC's `%q` quotes it, with newlines as `\n`.
local quote_map = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\0"] = "\\000" }
local function quote(s)
  return '"' .. s:gsub('[\\"\n\r%z]', quote_map) .. '"'
end

-- A number as CraftOS-PC's `tostring` writes it.
local function number_text(v)
  if v ~= v then return "nan" end
  if v == huge then return "inf" end
  if v == -huge then return "-inf" end
  return format("%.14g", v)
end

local function function_text(fn, options)
  local info = debug_info and debug_info(fn, "Su")
  local name
  if options.function_source and info and info.short_src and info.linedefined and info.linedefined >= 1 then
    name = "function<" .. info.short_src .. ":" .. info.linedefined .. ">"
  else
    name = tostring(fn)
  end
  if options.function_args and info and info.what == "Lua" and info.nparams and debug_local then
    local args = {}
    for i = 1, info.nparams do args[i] = debug_local(fn, i) or "?" end
    if info.isvararg then args[#args + 1] = "..." end
    name = name .. "(" .. concat_strings(args, ", ") .. ")"
  end
  return name
end

local function value_doc(value, options, seen)
  local t = type(value)
  if t == "string" then return text(quote(value), colours.red) end
  if t == "number" then return text(number_text(value), colours.magenta) end
  if t == "function" then return text(function_text(value, options), colours.lightGrey) end
  if t ~= "table" or seen[value] then return text(tostring(value), colours.lightGrey) end
  local mt = getmetatable(value)
  if mt ~= nil and type(mt) == "table" and mt.__tostring then return text(tostring(value)) end
  if next(value) == nil then return braces end

  seen[value] = true
  local body = doc_of({ tag = "concat", n = 1, space_line })
  local length = #value
  local keys, nkeys = {}, 0
  for k in pairs(value) do
    if type(k) ~= "number" or k % 1 ~= 0 or k < 1 or k > length then
      nkeys = nkeys + 1
      keys[nkeys] = k
    end
  end
  sort(keys, key_order)
  for i = 1, length do
    if i > 1 then push(body, comma) push(body, space_line) end
    push(body, value_doc(value[i], options, seen))
  end
  for i = 1, nkeys do
    if i > 1 or length >= 1 then push(body, comma) push(body, space_line) end
    local k = keys[i]
    local v = value[k]
    if type(k) == "string" and not keywords[k] and k:match("^[%a_][%a%d_]*$") then
      push(body, text(k .. " = "))
      push(body, value_doc(v, options, seen))
    else
      push(body, open_key)
      push(body, value_doc(k, options, seen))
      push(body, close_key)
      push(body, value_doc(v, options, seen))
    end
  end
  seen[value] = nil
  return group(concat(open_brace, nest(2, concat(unpack(body, 1, body.n))), space_line, close_brace))
end

local function pretty(value, options)
  expect(2, options, "table", "nil")
  options = options or {}
  local chosen = {
    function_source = field(options, "function_source", "boolean", "nil") or false,
    function_args = field(options, "function_args", "boolean", "nil") or false,
  }
  return value_doc(value, chosen, {})
end

local function pretty_print(value, options, ribbon_frac)
  expect(2, options, "table", "nil")
  options = options or {}
  expect(3, ribbon_frac, "number", "nil")
  return print(pretty(value, options), ribbon_frac)
end

return {
  empty = empty,
  space = space,
  line = line,
  space_line = space_line,
  text = text,
  concat = concat,
  nest = nest,
  group = group,
  write = write,
  print = print,
  render = render,
  pretty = pretty,
  pretty_print = pretty_print,
}
