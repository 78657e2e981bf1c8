-- cc.strings: `wrap(text[, width])` (lines of at most `width` characters,
-- breaking at spaces, cutting words longer than a line), `ensure_width(line
-- [, width])` (cut or padded with spaces) and `split(str, separator[,
-- plain[, limit]])`. The width defaults to the terminal's.

local expect = require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")
local expect, range = expect.expect, expect.range
local sub, match = string.sub, string.match

local function wrap(text, width)
  expect(1, text, "string")
  expect(2, width, "number", "nil")
  width = width or term.getSize()
  range(width, 1)

  local lines, n, line = {}, 0, ""
  local function flush()
    n = n + 1
    lines[n] = line
    line = ""
  end

  local pos, len = 1, #text
  while pos <= len do
    local c = sub(text, pos, pos)
    if c == " " or c == "\t" then
      -- Spaces stay with the line they follow.
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
        -- Too long for any line: as much as fits, then the rest below.
        while #word > 0 do
          local room = width - #line - 1
          if room <= 0 then
            flush()
            room = width
          end
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

  -- Trailing spaces may have run past the width.
  for i = 1, n do lines[i] = sub(lines[i], 1, width) end
  return lines
end

local function ensure_width(line, width)
  expect(1, line, "string")
  expect(2, width, "number", "nil")
  width = width or term.getSize()
  line = sub(line, 1, width)
  if #line < width then line = line .. (" "):rep(width - #line) end
  return line
end

local function split(str, separator, plain, limit)
  expect(1, str, "string")
  expect(2, separator, "string")
  expect(3, plain, "boolean", "nil")
  expect(4, limit, "number", "nil")

  local parts, n, pos = {}, 0, 1
  while not limit or n < limit - 1 do
    local first, last = str:find(separator, pos, plain)
    if not first then break end
    n = n + 1
    parts[n] = sub(str, pos, first - 1)
    if last < first then error("separator is empty", 2) end
    pos = last + 1
  end
  if pos == 1 then return { str } end
  parts[n + 1] = sub(str, pos)
  return parts
end

return { wrap = wrap, ensure_width = ensure_width, split = split }
