-- `redstone` / `rs` with nothing attached (env/redstone.rs).
local E, G = ...
local display_type = E.display_type
local type, error, tonumber, format, lower, floor = type, error, tonumber, string.format, string.lower, math.floor
local huge = math.huge

local sides = { "bottom", "top", "back", "front", "right", "left" }
local side_index = {}
for i, s in ipairs(sides) do side_index[s] = i end

-- What the script set (inputs are always off).
local outputs = { 0, 0, 0, 0, 0, 0 }
local bundled = { 0, 0, 0, 0, 0, 0 }

-- The side argument's index; errors at the caller of the API function.
local function side(name, value)
  if type(value) ~= "string" then
    error(format("bad argument #1 to '%s' (string expected, got %s)", name, display_type(value)), 3)
  end
  local i = side_index[lower(value)]
  if not i then error(format("bad argument #1 to '%s' (unknown option %s)", name, lower(value)), 3) end
  return i
end

-- A number argument in [0, max] (numeric strings count, as lua_isnumber
-- says), truncated as CraftOS-PC stores it.
local function level(name, n, value, max)
  local x = tonumber(value)
  if type(value) ~= "number" and (type(value) ~= "string" or x == nil) then
    error(format("bad argument #%d to '%s' (number expected, got %s)", n, name, display_type(value)), 3)
  end
  if x ~= x then error(format("bad argument #%d to '%s' (number expected, got nan)", n, name), 3) end
  if x == huge or x == -huge then error(format("bad argument #%d to '%s' (number expected, got inf)", n, name), 3) end
  if x < 0 or x > max then error(format("Expected number in range 0-%d", max), 3) end
  return floor(x)
end

local rs = {}

function rs.getSides()
  return { sides[1], sides[2], sides[3], sides[4], sides[5], sides[6] }
end

function rs.getInput(s)
  side("getInput", s)
  return false
end

function rs.getOutput(s)
  return outputs[side("getOutput", s)] > 0
end

function rs.setOutput(s, on)
  outputs[side("setOutput", s)] = on and 15 or 0
end

function rs.getAnalogInput(s)
  side("getAnalogInput", s)
  return 0
end

function rs.getAnalogOutput(s)
  return outputs[side("getAnalogOutput", s)]
end

function rs.setAnalogOutput(s, strength)
  local i = side("setAnalogOutput", s)
  outputs[i] = level("setAnalogOutput", 2, strength, 15)
end

rs.getAnalogueInput = rs.getAnalogInput
rs.getAnalogueOutput = rs.getAnalogOutput
rs.setAnalogueOutput = rs.setAnalogOutput

function rs.getBundledInput(s)
  side("getBundledInput", s)
  return 0
end

function rs.getBundledOutput(s)
  return bundled[side("getBundledOutput", s)]
end

function rs.setBundledOutput(s, colours)
  local i = side("setBundledOutput", s)
  bundled[i] = level("setBundledOutput", 2, colours, 65535)
end

-- [fix] the inputs, all off: only an empty mask is "all on".
function rs.testBundledInput(s, mask)
  side("testBundledInput", s)
  return level("testBundledInput", 2, mask, 65535) == 0
end

G.redstone = rs
G.rs = rs
