-- `colors` and `colours` (SEMANTICS X9): the 16 colour constants and the
-- functions of CraftOS-PC's colors API, with its values.

local type, select, error, tonumber, pairs, ipairs = type, select, error, tonumber, pairs, ipairs
local floor, log, format = math.floor, math.log, string.format
local band, bor, bnot, rshift = bit32.band, bit32.bor, bit32.bnot, bit32.rshift

local function expect(n, name, value, want)
  local t = type(value)
  if t ~= want then
    error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, name, want, t), 3)
  end
end

local colors = {}

local names = {
  "white", "orange", "magenta", "lightBlue", "yellow", "lime", "pink", "gray",
  "lightGray", "cyan", "purple", "blue", "brown", "green", "red", "black",
}
local blit_of = {}
for i, name in ipairs(names) do
  local value = floor(2 ^ (i - 1))
  colors[name] = value
  blit_of[value] = format("%x", i - 1)
end

--- The union of colour sets.
function colors.combine(...)
  local r = 0
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    expect(i, "combine", c, "number")
    r = bor(r, c)
  end
  return r
end

--- `set` without the given colours.
function colors.subtract(set, ...)
  expect(1, "subtract", set, "number")
  local r = set
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    expect(i + 1, "subtract", c, "number")
    r = band(r, bnot(c))
  end
  return r
end

--- Whether `set` holds every colour of `colour`.
function colors.test(set, colour)
  expect(1, "test", set, "number")
  expect(2, "test", colour, "number")
  return band(set, colour) == colour
end

--- Channels 0-1 to `0xRRGGBB`.
function colors.packRGB(r, g, b)
  expect(1, "packRGB", r, "number")
  expect(2, "packRGB", g, "number")
  expect(3, "packRGB", b, "number")
  return band(r * 255, 0xFF) * 2 ^ 16 + band(g * 255, 0xFF) * 2 ^ 8 + band(b * 255, 0xFF)
end

--- `0xRRGGBB` to channels 0-1.
function colors.unpackRGB(rgb)
  expect(1, "unpackRGB", rgb, "number")
  return band(rshift(rgb, 16), 0xFF) / 255, band(rshift(rgb, 8), 0xFF) / 255, band(rgb, 0xFF) / 255
end

--- `packRGB` or `unpackRGB`, by the number of arguments (deprecated in CC).
function colors.rgb8(r, g, b)
  if g == nil and b == nil then return colors.unpackRGB(r) end
  return colors.packRGB(r, g, b)
end

--- The blit digit of a colour (the highest bit of other numbers).
function colors.toBlit(colour)
  expect(1, "toBlit", colour, "number")
  local hex = blit_of[colour]
  if hex then return hex end
  if colour < 1 or colour > 0xffff then error("Colour out of range", 2) end
  return format("%x", floor(log(colour, 2)))
end

--- The colour of a blit digit, or nil.
function colors.fromBlit(hex)
  expect(1, "fromBlit", hex, "string")
  if #hex ~= 1 then return nil end
  local value = tonumber(hex, 16)
  if not value then return nil end
  return floor(2 ^ value)
end

-- British spelling: the same values and functions, with grey for gray.
local colours = {}
for k, v in pairs(colors) do colours[k] = v end
colours.grey, colours.gray = colours.gray, nil
colours.lightGrey, colours.lightGray = colours.lightGray, nil

_G.colors = colors
_G.colours = colours
