--[==[case
clauses = ["X10", "G2", "G3"]
summary = "peripheral with nothing attached, as CraftOS-PC's ROM answers: getNames {}, isPresent false, getType/hasType/getMethods/call/wrap nil (one value), find nothing; getName and a table that is not a peripheral raise; argument errors name the function"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises = A.eq, A.returns, A.raises

eq("peripheral is a table", type(peripheral), "table")
eq("getNames is empty", next(peripheral.getNames()), nil)
eq("getNames is a fresh table", peripheral.getNames() ~= peripheral.getNames(), true)
for _, side in ipairs(redstone.getSides()) do
  eq("isPresent " .. side, peripheral.isPresent(side), false)
  returns("getType " .. side, { n = 1 }, peripheral.getType, side)
  returns("getMethods " .. side, { n = 1 }, peripheral.getMethods, side)
  returns("wrap " .. side, { n = 1 }, peripheral.wrap, side)
  returns("hasType " .. side, { n = 1 }, peripheral.hasType, side, "modem")
end
returns("call on an absent side", { n = 1 }, peripheral.call, "left", "open", 1)
returns("call on a remote name", { n = 1 }, peripheral.call, "modem_0", "isWireless")
returns("find", { n = 0 }, peripheral.find, "modem")
returns("find with a filter", { n = 0 }, peripheral.find, "monitor", function() return true end)
local called = false
peripheral.find("modem", function() called = true end)
eq("the filter is never called", called, false)

raises("isPresent nil", function() peripheral.isPresent() end, "bad argument #1 to 'isPresent' (string expected, got nil)")
raises("getType number", function() peripheral.getType(1) end, "bad argument #1 to 'getType' (string or table expected, got number)")
raises("getType table", function() peripheral.getType({}) end, "bad argument #1 (table is not a peripheral)")
raises("hasType type", function() peripheral.hasType("left") end, "bad argument #2 to 'hasType' (string expected, got nil)")
raises("getMethods", function() peripheral.getMethods(false) end, "bad argument #1 to 'getMethods' (string expected, got boolean)")
raises("getName string", function() peripheral.getName("left") end, "bad argument #1 to 'getName' (table expected, got string)")
raises("getName table", function() peripheral.getName({}) end, "bad argument #1 (table is not a peripheral)")
raises("call method", function() peripheral.call("left") end, "bad argument #2 to 'call' (string expected, got nil)")
raises("wrap", function() peripheral.wrap(nil) end, "bad argument #1 to 'wrap' (string expected, got nil)")
raises("find type", function() peripheral.find() end, "bad argument #1 to 'find' (string expected, got nil)")
raises("find filter", function() peripheral.find("modem", 1) end, "bad argument #2 to 'find' (function expected, got number)")

-- a table made like a wrapped peripheral is taken as one, as by CC
local fake = setmetatable({}, { __name = "peripheral", name = "top", types = { "monitor", monitor = true } })
eq("getName of a wrapped table", peripheral.getName(fake), "top")
eq("getType of a wrapped table", peripheral.getType(fake), "monitor")
eq("hasType of a wrapped table", peripheral.hasType(fake, "monitor"), true)
eq("hasType other", peripheral.hasType(fake, "modem"), false)
raises("display type is __name", function() peripheral.isPresent(fake) end, "bad argument #1 to 'isPresent' (string expected, got peripheral)")
print("ok")
