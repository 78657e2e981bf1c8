--[==[case
clauses = ["X9"]
summary = "window.create and CC's window methods: buffer, cursor, colours, palette, scroll, getLine, visibility, reposition; drawing on the parent"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %q, want %q"):format(what, tostring(got), tostring(want)), 2) end
end
-- A recording parent: every call is kept.
local drawn = {}
local parent = setmetatable({}, { __index = function(t, k)
  local f = term.native()[k]
  return function(...)
    if k == "blit" then drawn[#drawn + 1] = (...) end
    if k == "getPaletteColour" or k == "isColor" or k == "getSize" then return f(...) end
  end
end })

local win = window.create(parent, 3, 2, 8, 3, false)
eq("invisible draws nothing", #drawn, 0)
local w, h = win.getSize() eq("w", w, 8) eq("h", h, 3)
local x, y = win.getPosition() eq("x", x, 3) eq("y", y, 2)
eq("visible", win.isVisible(), false)
eq("colour", win.isColour(), true)
win.write("hello world")
eq("clipped", (win.getLine(1)), "hello wo")
x, y = win.getCursorPos() eq("cursor", x, 12)
win.setCursorPos(0.5, 2)
win.setTextColour(colors.red)
win.setBackgroundColor(colors.blue)
win.write("abcd")
local text, fg, bg = win.getLine(2)
eq("left clip", text, "bcd     ")
eq("fg", fg, "eee00000")
eq("bg", bg, "bbbfffff")
win.setCursorPos(1, 3)
win.blit("xyz", "0A1", "fFf")
text, fg, bg = win.getLine(3)
eq("blit", text, "xyz     ") eq("blit fg", fg, "0a100000") eq("blit bg", bg, "ffffffff")
eq("text colour", win.getTextColour(), colors.red)
eq("background", win.getBackgroundColour(), colors.blue)
win.setTextColor(3) eq("highest bit", win.getTextColor(), 2)
win.scroll(1)
eq("scrolled", (win.getLine(1)), "bcd     ")
text, fg, bg = win.getLine(3)
eq("new line", text, "        ") eq("new line bg", bg, "bbbbbbbb")
win.clearLine()
win.clear()
eq("cleared", (win.getLine(1)), "        ")
-- palette: per window, from the parent at first
local r, g, b = win.getPaletteColour(colors.red)
eq("palette r", r, 0xCC / 255)
win.setPaletteColour(colors.red, 0x102030)
r, g, b = win.getPaletteColor(colors.red)
eq("palette g", g, 0x20 / 255)
win.setPaletteColor(colors.red, 0.5, 0.25, 1)
r, g, b = win.getPaletteColour(colors.red)
eq("palette exact", g, 0.25)
win.setCursorBlink(true) eq("blink", win.getCursorBlink(), true)
-- visible: drawn on the parent, one blit per line
win.setVisible(true)
eq("drawn lines", #drawn, 3)
win.write("z")
eq("one more line", #drawn, 4)
win.redraw()
eq("redraw", #drawn, 7)
win.reposition(1, 1, 4, 2)
x, y = win.getPosition() eq("moved x", x, 1)
w, h = win.getSize() eq("resized", w, 4) eq("resized h", h, 2)
eq("resized line", (win.getLine(1)), "    ")
win.reposition(1, 1, 6, 3)
eq("grown line", (win.getLine(1)), "      ")
-- errors
local ok, e = pcall(win.getLine, 9)
assert(not ok and e:match("Line is out of range%.$"), e)
ok, e = pcall(function() win.setTextColour(0) end)
assert(not ok and e:match("^.-:%d+: Colour out of range$"), e)
ok, e = pcall(function() win.setCursorPos("a", 1) end)
assert(not ok and e:match(":%d+: bad argument #1 to 'setCursorPos' %(number expected, got string%)$"), e)
ok, e = pcall(function() win.blit("ab", "0", "ff") end)
assert(not ok and e:match(":%d+: Arguments must be the same length$"), e)
ok, e = pcall(function() window.create(term, 1, 1, 2, 2) end)
assert(not ok and e:match("term is not a recommended window parent, try term.current%(%) instead$"), e)
ok, e = pcall(function() window.create(parent, 1, 1, "2", 2) end)
assert(not ok and e:match(":%d+: bad argument #4 to 'create' %(number expected, got string%)$"), e)
print("ok")
