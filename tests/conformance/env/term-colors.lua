--[==[case
clauses = ["X9"]
summary = "colors/colours: constants, combine, subtract, test, packRGB, unpackRGB, rgb8, toBlit, fromBlit as CraftOS-PC; colours spells grey"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2) end
end
local names = { "white", "orange", "magenta", "lightBlue", "yellow", "lime", "pink", "gray",
  "lightGray", "cyan", "purple", "blue", "brown", "green", "red", "black" }
for i, name in ipairs(names) do eq(name, colors[name], 2 ^ (i - 1)) end
eq("colours.grey", colours.grey, 128)
eq("colours.lightGrey", colours.lightGrey, 256)
eq("colours.gray", colours.gray, nil)
eq("colours.lightGray", colours.lightGray, nil)
eq("colors.grey", colors.grey, nil)
eq("same functions", colours.combine, colors.combine)
eq("combine", colors.combine(colors.red, colors.blue, colors.red), 18432)
eq("combine none", colors.combine(), 0)
eq("subtract", colors.subtract(18432, colors.red), colors.blue)
eq("test yes", colors.test(18432, colors.blue), true)
eq("test no", colors.test(18432, colors.white), false)
eq("packRGB", colors.packRGB(0.8, 0.3, 0.3), 0xCC4C4C)
local r, g, b = colors.unpackRGB(0xCC4C4C)
eq("unpack r", r, 0xCC / 255) eq("unpack g", g, 0x4C / 255) eq("unpack b", b, 0x4C / 255)
eq("rgb8 pack", colors.rgb8(1, 1, 1), 0xFFFFFF)
eq("rgb8 unpack", (colors.rgb8(0xFF0000)), 1)
eq("toBlit", colors.toBlit(colors.red), "e")
eq("toBlit white", colors.toBlit(1), "0")
eq("toBlit highest bit", colors.toBlit(3), "1")
eq("fromBlit", colors.fromBlit("e"), colors.red)
eq("fromBlit upper", colors.fromBlit("F"), colors.black)
eq("fromBlit bad", colors.fromBlit("g"), nil)
eq("fromBlit long", colors.fromBlit("ab"), nil)
local ok, e = pcall(function() colors.toBlit(0) end)
assert(not ok and e:match("^.-:%d+: Colour out of range$"), e)
ok, e = pcall(function() colors.combine(1, "x") end)
assert(not ok and e:match(":%d+: bad argument #2 to 'combine' %(number expected, got string%)$"), e)
ok, e = pcall(function() colors.unpackRGB() end)
assert(not ok and e:match(":%d+: bad argument #1 to 'unpackRGB' %(number expected, got nil%)$"), e)
print("ok")
