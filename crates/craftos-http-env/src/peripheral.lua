-- `peripheral` with nothing attached (env/peripheral.rs): every side is
-- empty and no modem brings remote peripherals, so each function answers
-- as CraftOS-PC's ROM does once its native side finds nothing.
local E, G = ...
local expect = E.expect
local type, getmetatable, error, unpack = type, getmetatable, error, table.unpack or unpack

local peripheral = {}

-- The metatable of a wrapped peripheral (none can be made here, but a
-- table built like one is accepted where CC accepts it).
local function wrapped_meta(value)
  local mt = getmetatable(value)
  if type(mt) ~= "table" or mt.__name ~= "peripheral" then return nil end
  return mt
end

function peripheral.getNames()
  return {}
end

function peripheral.isPresent(name)
  expect(1, "isPresent", name, "string")
  return false
end

function peripheral.getType(p)
  expect(1, "getType", p, "string", "table")
  if type(p) == "string" then return nil end
  local mt = wrapped_meta(p)
  if not mt or type(mt.types) ~= "table" then
    error("bad argument #1 (table is not a peripheral)", 2)
  end
  return unpack(mt.types)
end

function peripheral.hasType(p, peripheral_type)
  expect(1, "hasType", p, "string", "table")
  expect(2, "hasType", peripheral_type, "string")
  if type(p) == "string" then return nil end
  local mt = wrapped_meta(p)
  if not mt or type(mt.types) ~= "table" then
    error("bad argument #1 (table is not a peripheral)", 2)
  end
  return mt.types[peripheral_type] ~= nil
end

function peripheral.getMethods(name)
  expect(1, "getMethods", name, "string")
  return nil
end

function peripheral.getName(p)
  expect(1, "getName", p, "table")
  local mt = wrapped_meta(p)
  if not mt or type(mt.name) ~= "string" then
    error("bad argument #1 (table is not a peripheral)", 2)
  end
  return mt.name
end

function peripheral.call(name, method, ...)
  expect(1, "call", name, "string")
  expect(2, "call", method, "string")
  return nil
end

function peripheral.wrap(name)
  expect(1, "wrap", name, "string")
  return nil
end

function peripheral.find(ty, filter)
  expect(1, "find", ty, "string")
  expect(2, "find", filter, "function", "nil")
end

G.peripheral = peripheral
