-- cc.completion: helpers for `read`'s completion function. Each takes the
-- text typed so far and returns the rest of every candidate that starts
-- with it (with a space after when `add_space`): `choice(text, choices)`,
-- `peripheral(text)` (attached peripherals: none here), `side(text)`,
-- `setting(text)` (setting names), `command(text)` (commands: none here).

local expect = require and require("cc.expect") or dofile("rom/modules/main/cc/expect.lua")
expect = expect.expect

local function complete(text, choices, add_space)
  local out = {}
  local extra = add_space and 1 or 0
  for i = 1, #choices do
    local option = choices[i]
    if #option + extra > #text and option:sub(1, #text) == text then
      local rest = option:sub(#text + 1)
      out[#out + 1] = add_space and rest .. " " or rest
    end
  end
  return out
end

local function choice(text, choices, add_space)
  expect(1, text, "string")
  expect(2, choices, "table")
  expect(3, add_space, "boolean", "nil")
  return complete(text, choices, add_space)
end

local function peripheral_names(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  return complete(text, peripheral.getNames(), add_space)
end

local sides = redstone.getSides()
local function side(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  return complete(text, sides, add_space)
end

local function setting(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  return complete(text, settings.getNames(), add_space)
end

local command_names
local function command(text, add_space)
  expect(1, text, "string")
  expect(2, add_space, "boolean", "nil")
  if command_names == nil then command_names = commands and commands.list() or {} end
  return complete(text, command_names, add_space)
end

return {
  choice = choice,
  peripheral = peripheral_names,
  side = side,
  setting = setting,
  command = command,
}
