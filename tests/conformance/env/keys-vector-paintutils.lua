--[==[case
clauses = ["X11", "G2", "G3"]
summary = "keys as CraftOS-PC's ROM lists them (getName, aliases), vector's methods and metamethods, paintutils drawing through term (parseImage, drawPixel, drawLine, drawBox, drawFilledBox, drawImage, loadImage through fs)"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises = A.eq, A.returns, A.raises

-- keys
eq("enter", keys.enter, 28)
eq("a", keys.a, 30)
eq("one", keys.one, 2)
eq("space", keys.space, 57)
eq("up", keys.up, 200)
eq("delete", keys.delete, 211)
eq("f12", keys.f12, 88)
eq("numPadEnter", keys.numPadEnter, 156)
eq("return", keys["return"], 28)
eq("scollLock", keys.scollLock, 70)
eq("cimcumflex", keys.cimcumflex, 144)
eq("getName", keys.getName(30), "a")
eq("getName 28", keys.getName(28), "enter")
returns("getName unknown", { n = 1 }, keys.getName, 1)
raises("getName type", function() keys.getName("a") end, "bad argument #1 to 'getName' (number expected, got string)")
local count = 0
for name, code in pairs(keys) do
  if type(code) == "number" then
    count = count + 1
    if keys.getName(code) ~= name and name ~= "return" and name ~= "scollLock" and name ~= "cimcumflex" then
      error("getName(" .. code .. ") is " .. tostring(keys.getName(code)) .. ", not " .. name)
    end
  end
end
eq("key names (and the three aliases)", count, 118)

-- vector
local a, b = vector.new(1, 2, 3), vector.new(4, 5, 6)
eq("tostring", tostring(a), "1,2,3")
eq("fields", a.x + a.y + a.z, 6)
eq("add", tostring(a + b), "5,7,9")
eq("add method", tostring(a:add(b)), "5,7,9")
eq("sub", tostring(b - a), "3,3,3")
eq("mul", tostring(a * 2), "2,4,6")
eq("div", (b / 2).x, 2)
eq("unm", tostring(-a), "-1,-2,-3")
eq("dot", a:dot(b), 32)
eq("cross", tostring(a:cross(b)), "-3,6,-3")
eq("length", vector.new(3, 4, 0):length(), 5)
eq("normalize", vector.new(0, 0, 2):normalize().z, 1)
eq("round", vector.new(1.4, 1.6, -0.6):round():equals(vector.new(1, 2, -1)), true)
eq("round tolerance", vector.new(1.4, 0, 0):round(0.5).x, 1.5)
eq("equals", a == vector.new(1, 2, 3), true)
eq("not equals", a == b, false)
eq("defaults", tostring(vector.new()), "0,0,0")
eq("numeric strings", tostring(vector.new("7", "x", nil)), "7,0,0")
eq("the API has only new", next(vector, next(vector)) == nil and next(vector) == "new", true)
raises("add a number", function() return a + 1 end, "bad argument #2 to 'add' (vector expected, got number)")
raises("mul a vector", function() return a * b end, "bad argument #2 to 'mul' (number expected, got vector)")
raises("dot self", function() local _ = a.dot({}, b) end, "bad argument #1 to 'dot' (vector expected, got table)")

-- paintutils, drawn on a term that records what it is asked
local calls = {}
local recorder = {}
for k, v in pairs(term.native()) do recorder[k] = v end
recorder.setCursorPos = function(x, y) calls[#calls + 1] = "at " .. x .. "," .. y end
recorder.write = function(s) calls[#calls + 1] = "write '" .. s .. "'" end
recorder.blit = function(s, fg, bg) calls[#calls + 1] = "blit '" .. s .. "' " .. fg .. " " .. bg end
recorder.setBackgroundColor = function(c) calls[#calls + 1] = "bg " .. c end
recorder.setBackgroundColour = recorder.setBackgroundColor
recorder.getBackgroundColour = function() return colours.black end
recorder.getBackgroundColor = recorder.getBackgroundColour
local function drawn(f, ...)
  calls = {}
  local old = term.redirect(recorder)
  f(...)
  term.redirect(old)
  return table.concat(calls, "; ")
end
eq("drawPixel", drawn(paintutils.drawPixel, 2, 3, colours.red), "bg 16384; at 2,3; write ' '")
eq("drawPixel keeps the colour", drawn(paintutils.drawPixel, 1, 1), "at 1,1; write ' '")
eq("drawLine", drawn(paintutils.drawLine, 1, 1, 3, 2, colours.blue),
  "bg 2048; at 1,1; write ' '; at 2,2; write ' '; at 3,2; write ' '")
eq("drawLine steep, backwards", drawn(paintutils.drawLine, 2, 3, 1, 1),
  "at 1,1; write ' '; at 2,2; write ' '; at 2,3; write ' '")
eq("drawLine a point", drawn(paintutils.drawLine, 4, 4, 4, 4), "at 4,4; write ' '")
eq("drawBox", drawn(paintutils.drawBox, 1, 1, 3, 3, colours.white),
  "bg 1; at 1,1; blit '   ' 000 000; at 1,2; blit ' ' 0 0; at 3,2; blit ' ' 0 0; at 1,3; blit '   ' 000 000")
eq("drawFilledBox", drawn(paintutils.drawFilledBox, 3, 2, 2, 1),
  "at 2,1; blit '  ' ff ff; at 2,2; blit '  ' ff ff")
local image = paintutils.parseImage("0 e\n f")
eq("parseImage rows", #image, 2)
eq("parseImage pixels", image[1][1] .. " " .. image[1][2] .. " " .. image[1][3] .. " " .. image[2][2], "1 0 16384 32768")
eq("drawImage", drawn(paintutils.drawImage, image, 5, 6),
  "bg 1; at 5,6; write ' '; bg 16384; at 7,6; write ' '; bg 32768; at 6,7; write ' '")
fs.delete("fs-tmp-paint")
local h = fs.open("fs-tmp-paint/img.nfp", "w") h.write("11\n2") h.close()
eq("loadImage", #paintutils.loadImage("fs-tmp-paint/img.nfp")[1], 2)
returns("loadImage missing", { n = 1 }, paintutils.loadImage, "fs-tmp-paint/none.nfp")
fs.delete("fs-tmp-paint")
raises("drawPixel type", function() paintutils.drawPixel("1", 1) end, "bad argument #1 to 'drawPixel' (number expected, got string)")
raises("drawBox colour", function() paintutils.drawBox(1, 1, 2, 2, "red") end, "bad argument #5 to 'drawBox' (number expected, got string)")
raises("parseImage", function() paintutils.parseImage() end, "bad argument #1 to 'parseImage' (string expected, got nil)")
print("ok")
