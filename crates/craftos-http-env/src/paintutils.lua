-- `paintutils` over `term` (env/paintutils.rs), drawing as CraftOS-PC's
-- ROM does in text mode: a pixel is a space on the background colour.
local E, G = ...
local expect = E.expect
local floor, min, abs = math.floor, math.min, math.abs

-- `term` and `colours` are looked up when drawing: a redirect (or a
-- script's own term) is what gets drawn on.
local function pixel(x, y)
  G.term.setCursorPos(x, y)
  G.term.write(" ")
end

-- Image text: one row per line, a pixel per character; a hex digit is the
-- colour 2^digit, anything else transparent (0).
local colour_of = {}
for i = 1, 16 do colour_of[("0123456789abcdef"):sub(i, i)] = floor(2 ^ (i - 1)) end

local paintutils = {}

function paintutils.parseImage(image)
  expect(1, "parseImage", image, "string")
  local rows = {}
  for line in (image .. "\n"):gmatch("(.-)\n") do
    local row = {}
    for x = 1, #line do row[x] = colour_of[line:sub(x, x)] or 0 end
    rows[#rows + 1] = row
  end
  return rows
end

function paintutils.loadImage(path)
  expect(1, "loadImage", path, "string")
  if not G.fs.exists(path) then return nil end
  local file = G.fs.open(path, "r")
  if not file then return nil end
  local text = file.readAll() or ""
  file.close()
  return paintutils.parseImage(text)
end

function paintutils.drawPixel(x, y, colour)
  expect(1, "drawPixel", x, "number")
  expect(2, "drawPixel", y, "number")
  expect(3, "drawPixel", colour, "number", "nil")
  if colour then G.term.setBackgroundColor(colour) end
  pixel(x, y)
end

function paintutils.drawLine(startX, startY, endX, endY, colour)
  expect(1, "drawLine", startX, "number")
  expect(2, "drawLine", startY, "number")
  expect(3, "drawLine", endX, "number")
  expect(4, "drawLine", endY, "number")
  expect(5, "drawLine", colour, "number", "nil")
  startX, startY, endX, endY = floor(startX), floor(startY), floor(endX), floor(endY)
  if colour then G.term.setBackgroundColor(colour) end
  if startX == endX and startY == endY then
    pixel(startX, startY)
    return
  end
  -- From the leftmost end; one pixel per step along the longer axis.
  local x0, y0, x1, y1 = startX, startY, endX, endY
  if min(startX, endX) ~= startX then x0, y0, x1, y1 = endX, endY, startX, startY end
  local dx, dy = x1 - x0, y1 - y0
  if dx > abs(dy) then
    local y, step = y0, dy / dx
    for x = x0, x1 do
      pixel(x, floor(y + 0.5))
      y = y + step
    end
  else
    local x, step = x0, dx / dy
    if y1 >= y0 then
      for y = y0, y1 do
        pixel(floor(x + 0.5), y)
        x = x + step
      end
    else
      for y = y0, y1, -1 do
        pixel(floor(x + 0.5), y)
        x = x - step
      end
    end
  end
end

-- The box's corners in order, its colour as a blit digit; the box is drawn
-- with `blit` (so a given colour does not stay the background, as CC).
local function box(startX, startY, endX, endY, colour)
  startX, startY, endX, endY = floor(startX), floor(startY), floor(endX), floor(endY)
  if colour then
    G.term.setBackgroundColor(colour)
  else
    colour = G.term.getBackgroundColour()
  end
  local hex = G.colours.toBlit(colour)
  if startX == endX and startY == endY then
    pixel(startX, startY)
    return nil
  end
  local minX, maxX = min(startX, endX), startX + endX - min(startX, endX)
  local minY, maxY = min(startY, endY), startY + endY - min(startY, endY)
  return minX, maxX, minY, maxY, hex
end

function paintutils.drawBox(startX, startY, endX, endY, colour)
  expect(1, "drawBox", startX, "number")
  expect(2, "drawBox", startY, "number")
  expect(3, "drawBox", endX, "number")
  expect(4, "drawBox", endY, "number")
  expect(5, "drawBox", colour, "number", "nil")
  local minX, maxX, minY, maxY, hex = box(startX, startY, endX, endY, colour)
  if not minX then return end
  local width = maxX - minX + 1
  local term = G.term
  for y = minY, maxY do
    term.setCursorPos(minX, y)
    if y == minY or y == maxY then
      term.blit((" "):rep(width), hex:rep(width), hex:rep(width))
    else
      term.blit(" ", hex, hex)
      term.setCursorPos(maxX, y)
      term.blit(" ", hex, hex)
    end
  end
end

function paintutils.drawFilledBox(startX, startY, endX, endY, colour)
  expect(1, "drawFilledBox", startX, "number")
  expect(2, "drawFilledBox", startY, "number")
  expect(3, "drawFilledBox", endX, "number")
  expect(4, "drawFilledBox", endY, "number")
  expect(5, "drawFilledBox", colour, "number", "nil")
  local minX, maxX, minY, maxY, hex = box(startX, startY, endX, endY, colour)
  if not minX then return end
  local width = maxX - minX + 1
  local term = G.term
  for y = minY, maxY do
    term.setCursorPos(minX, y)
    term.blit((" "):rep(width), hex:rep(width), hex:rep(width))
  end
end

function paintutils.drawImage(image, x, y)
  expect(1, "drawImage", image, "table")
  expect(2, "drawImage", x, "number")
  expect(3, "drawImage", y, "number")
  for row = 1, #image do
    local line = image[row]
    for col = 1, #line do
      if line[col] > 0 then
        G.term.setBackgroundColor(line[col])
        pixel(col + x - 1, row + y - 1)
      end
    end
  end
end

G.paintutils = paintutils
