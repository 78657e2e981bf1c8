--[==[case
clauses = ["X10", "G2", "G3"]
summary = "redstone / rs with nothing around: CraftOS-PC's six sides, inputs off, outputs kept as set (getOutput after setOutput), analog 0-15 and bundled 0-65535 checked with CraftOS-PC's texts, sides case-insensitive"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, raises, list = A.eq, A.raises, A.list

eq("rs is redstone", rs, redstone)
eq("sides", list(rs.getSides()), "bottom,top,back,front,right,left")
eq("sides fresh", rs.getSides() ~= rs.getSides(), true)
for _, side in ipairs(rs.getSides()) do
  eq("input " .. side, rs.getInput(side), false)
  eq("analog input " .. side, rs.getAnalogInput(side), 0)
  eq("bundled input " .. side, rs.getBundledInput(side), 0)
  eq("output " .. side, rs.getOutput(side), false)
  eq("analog output " .. side, rs.getAnalogOutput(side), 0)
  eq("bundled output " .. side, rs.getBundledOutput(side), 0)
end
rs.setOutput("left", true)
eq("output kept", rs.getOutput("left"), true)
eq("as analog 15", rs.getAnalogOutput("left"), 15)
eq("input still off", rs.getInput("left"), false)
rs.setOutput("LEFT", nil)
eq("off again (side in capitals)", rs.getOutput("left"), false)
rs.setAnalogOutput("top", 7.9)
eq("analog truncated", rs.getAnalogOutput("top"), 7)
eq("analog as boolean", rs.getOutput("top"), true)
rs.setAnalogueOutput("top", "3")
eq("analogue spelling, numeric string", rs.getAnalogueOutput("top"), 3)
eq("analogue input", rs.getAnalogueInput("top"), 0)
rs.setBundledOutput("back", 1 + 4)
eq("bundled kept", rs.getBundledOutput("back"), 5)
eq("testBundledInput empty mask", rs.testBundledInput("back", 0), true)
eq("testBundledInput tests inputs (all off)", rs.testBundledInput("back", 1), false)

raises("side type", function() rs.getInput(1) end, "bad argument #1 to 'getInput' (string expected, got number)")
raises("side nil", function() rs.setOutput() end, "bad argument #1 to 'setOutput' (string expected, got nil)")
raises("unknown side", function() rs.getOutput("Up") end, "bad argument #1 to 'getOutput' (unknown option up)")
raises("analog type", function() rs.setAnalogOutput("top", {}) end, "bad argument #2 to 'setAnalogOutput' (number expected, got table)")
raises("analog range", function() rs.setAnalogOutput("top", 16) end, "Expected number in range 0-15")
raises("analog negative", function() rs.setAnalogOutput("top", -1) end, "Expected number in range 0-15")
raises("analog nan", function() rs.setAnalogOutput("top", 0/0) end, "bad argument #2 to 'setAnalogOutput' (number expected, got nan)")
raises("analog inf", function() rs.setAnalogOutput("top", math.huge) end, "bad argument #2 to 'setAnalogOutput' (number expected, got inf)")
raises("bundled range", function() rs.setBundledOutput("top", 65536) end, "Expected number in range 0-65535")
raises("test mask type", function() rs.testBundledInput("top") end, "bad argument #2 to 'testBundledInput' (number expected, got nil)")
print("ok")
