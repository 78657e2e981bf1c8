-- `window` (SEMANTICS X9): `window.create(parent, x, y, width, height
-- [, visible])` makes a terminal object that keeps its own text and colours
-- and, while visible, draws them on its parent at (x, y). Its methods and
-- their values are those of CC's (and CraftOS-PC's) window API.

local type, error, pairs, tostring = type, error, pairs, tostring
local floor, log = math.floor, math.log
local rep, sub, lower = string.rep, string.sub, string.lower

local function fail(n, name, want, value, level)
  error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, name, want, type(value)), level + 1)
end

local function expect(n, name, value, want, also)
  local t = type(value)
  if t ~= want and t ~= also then fail(n, name, want, value, 3) end
  return value
end

-- Colour value -> blit digit, for the 16 colours.
local digit = {}
for i = 0, 15 do digit[floor(2 ^ i)] = ("0123456789abcdef"):sub(i + 1, i + 1) end

-- A colour argument of a window method: one of the 16 colours, or a number
-- in 1..0xffff taken by its highest bit.
local function colour_arg(c, name)
  if digit[c] then return c end
  if type(c) ~= "number" then fail(1, name, "number", c, 3) end
  if c < 1 or c > 0xffff then error("Colour out of range", 3) end
  return floor(2 ^ floor(log(c, 2)))
end

local window = {}

function window.create(parent, nx, ny, width, height, visible)
  expect(1, "create", parent, "table")
  expect(2, "create", nx, "number")
  expect(3, "create", ny, "number")
  expect(4, "create", width, "number")
  expect(5, "create", height, "number")
  expect(6, "create", visible, "boolean", "nil")
  if parent == _G.term then
    error("term is not a recommended window parent, try term.current() instead", 2)
  end
  visible = visible ~= false

  local cx, cy, blink = 1, 1, false
  local fg, bg = 1, 32768
  local lines, palette = {}, {}

  -- Blank text and colour runs of the window's width.
  local blank_text, blank_colour
  local function make_blanks(w)
    blank_text = rep(" ", w)
    blank_colour = {}
    for c, d in pairs(digit) do blank_colour[c] = rep(d, w) end
  end
  local function blank_line()
    return { blank_text, blank_colour[fg], blank_colour[bg] }
  end

  make_blanks(width)
  for i = 1, height do lines[i] = blank_line() end
  for c in pairs(digit) do palette[c] = { parent.getPaletteColour(c) } end

  -- Drawing on the parent -----------------------------------------------

  local function place_cursor()
    if cx >= 1 and cy >= 1 and cx <= width and cy <= height then
      parent.setCursorPos(nx + cx - 1, ny + cy - 1)
    else
      parent.setCursorPos(0, 0)
    end
  end

  local function restore()
    parent.setTextColor(fg)
    place_cursor()
  end

  local function draw_line(i)
    local l = lines[i]
    parent.setCursorPos(nx, ny + i - 1)
    parent.blit(l[1], l[2], l[3])
  end

  local function draw_all()
    for i = 1, height do draw_line(i) end
  end

  -- Put text (with its colour runs) at the cursor, clipped to the window.
  local function put(text, tfg, tbg)
    local first, last = cx, cx + #text - 1
    if cy >= 1 and cy <= height and first <= width and last >= 1 then
      local l = lines[cy]
      if first == 1 and last == width then
        l[1], l[2], l[3] = text, tfg, tbg
      else
        local left = first < 1 and 1 or first
        local right = last > width and width or last
        local from, to = left - first + 1, right - first + 1
        l[1] = sub(l[1], 1, left - 1) .. sub(text, from, to) .. sub(l[1], right + 1)
        l[2] = sub(l[2], 1, left - 1) .. sub(tfg, from, to) .. sub(l[2], right + 1)
        l[3] = sub(l[3], 1, left - 1) .. sub(tbg, from, to) .. sub(l[3], right + 1)
      end
      if visible then draw_line(cy) end
    end
    cx = last + 1
    if visible then restore() end
  end

  local win = {}

  function win.write(text)
    text = tostring(text)
    put(text, rep(digit[fg], #text), rep(digit[bg], #text))
  end

  function win.blit(text, tfg, tbg)
    if type(text) ~= "string" then fail(1, "blit", "string", text, 2) end
    if type(tfg) ~= "string" then fail(2, "blit", "string", tfg, 2) end
    if type(tbg) ~= "string" then fail(3, "blit", "string", tbg, 2) end
    if #tfg ~= #text or #tbg ~= #text then error("Arguments must be the same length", 2) end
    put(text, lower(tfg), lower(tbg))
  end

  function win.clear()
    for i = 1, height do lines[i] = blank_line() end
    if visible then
      draw_all()
      restore()
    end
  end

  function win.clearLine()
    if cy >= 1 and cy <= height then
      lines[cy] = blank_line()
      if visible then
        draw_line(cy)
        restore()
      end
    end
  end

  function win.getCursorPos()
    return cx, cy
  end

  function win.setCursorPos(x, y)
    if type(x) ~= "number" then fail(1, "setCursorPos", "number", x, 2) end
    if type(y) ~= "number" then fail(2, "setCursorPos", "number", y, 2) end
    cx, cy = floor(x), floor(y)
    if visible then place_cursor() end
  end

  function win.setCursorBlink(on)
    if type(on) ~= "boolean" then fail(1, "setCursorBlink", "boolean", on, 2) end
    blink = on
    if visible then parent.setCursorBlink(on) end
  end

  function win.getCursorBlink()
    return blink
  end

  function win.isColour()
    return parent.isColor()
  end
  win.isColor = win.isColour

  for _, name in pairs({ "setTextColour", "setTextColor" }) do
    win[name] = function(c)
      fg = colour_arg(c, name)
      if visible then parent.setTextColor(fg) end
    end
  end

  for _, name in pairs({ "setBackgroundColour", "setBackgroundColor" }) do
    win[name] = function(c)
      bg = colour_arg(c, name)
    end
  end

  function win.getTextColour()
    return fg
  end
  win.getTextColor = win.getTextColour

  function win.getBackgroundColour()
    return bg
  end
  win.getBackgroundColor = win.getBackgroundColour

  for _, name in pairs({ "setPaletteColour", "setPaletteColor" }) do
    win[name] = function(c, r, g, b)
      c = colour_arg(c, name)
      local entry
      if type(r) == "number" and g == nil and b == nil then
        entry = { _G.colours.unpackRGB(r) }
        palette[c] = entry
      else
        if type(r) ~= "number" then fail(2, name, "number", r, 2) end
        if type(g) ~= "number" then fail(3, name, "number", g, 2) end
        if type(b) ~= "number" then fail(4, name, "number", b, 2) end
        entry = palette[c]
        entry[1], entry[2], entry[3] = r, g, b
      end
      if visible then return parent.setPaletteColour(c, entry[1], entry[2], entry[3]) end
    end
  end

  for _, name in pairs({ "getPaletteColour", "getPaletteColor" }) do
    win[name] = function(c)
      local entry = palette[colour_arg(c, name)]
      return entry[1], entry[2], entry[3]
    end
  end

  function win.getSize()
    return width, height
  end

  function win.scroll(n)
    if type(n) ~= "number" then fail(1, "scroll", "number", n, 2) end
    if n == 0 then return end
    local moved = {}
    for i = 1, height do
      local from = i + n
      moved[i] = (from >= 1 and from <= height) and lines[from] or blank_line()
    end
    lines = moved
    if visible then
      draw_all()
      restore()
    end
  end

  function win.getLine(y)
    if type(y) ~= "number" then fail(1, "getLine", "number", y, 2) end
    if y < 1 or y > height then error("Line is out of range.", 2) end
    local l = lines[y]
    return l[1], l[2], l[3]
  end

  function win.setVisible(on)
    if type(on) ~= "boolean" then fail(1, "setVisible", "boolean", on, 2) end
    if visible ~= on then
      visible = on
      if visible then win.redraw() end
    end
  end

  function win.isVisible()
    return visible
  end

  function win.redraw()
    if not visible then return end
    draw_all()
    for c, entry in pairs(palette) do
      parent.setPaletteColour(c, entry[1], entry[2], entry[3])
    end
    parent.setCursorBlink(blink)
    restore()
  end

  function win.restoreCursor()
    if not visible then return end
    parent.setCursorBlink(blink)
    restore()
  end

  function win.getPosition()
    return nx, ny
  end

  function win.reposition(x, y, new_width, new_height, new_parent)
    if type(x) ~= "number" then fail(1, "reposition", "number", x, 2) end
    if type(y) ~= "number" then fail(2, "reposition", "number", y, 2) end
    if new_width ~= nil or new_height ~= nil then
      if type(new_width) ~= "number" then fail(3, "reposition", "number", new_width, 2) end
      if type(new_height) ~= "number" then fail(4, "reposition", "number", new_height, 2) end
    end
    if new_parent ~= nil and type(new_parent) ~= "table" then
      fail(5, "reposition", "table", new_parent, 2)
    end
    nx, ny = x, y
    if new_parent then parent = new_parent end
    if new_width and new_height then
      make_blanks(new_width)
      local resized = {}
      for i = 1, new_height do
        local old = lines[i]
        if not old then
          resized[i] = blank_line()
        elseif new_width == width then
          resized[i] = old
        elseif new_width < width then
          resized[i] = { sub(old[1], 1, new_width), sub(old[2], 1, new_width), sub(old[3], 1, new_width) }
        else
          local blank = blank_line()
          resized[i] = {
            old[1] .. sub(blank[1], width + 1),
            old[2] .. sub(blank[2], width + 1),
            old[3] .. sub(blank[3], width + 1),
          }
        end
      end
      width, height, lines = new_width, new_height, resized
    end
    if visible then win.redraw() end
  end

  if visible then win.redraw() end
  return win
end

_G.window = window
