--[==[case
clauses = ["X9"]
summary = "term values as CraftOS-PC: 51x19, isColour, colours by lowest bit, palette 8-bit channels, nativePaletteColour, cursor and blink"
stdout = '''
 abc1.5
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2) end
end
local w, h = term.getSize()
eq("width", w, 51) eq("height", h, 19)
local pw, ph = term.getSize(true)
eq("pixel width", pw, 306) eq("pixel height", ph, 171)
eq("isColour", term.isColour(), true)
eq("isColor", term.isColor(), true)
-- defaults
eq("text colour", term.getTextColour(), colors.white)
eq("background", term.getBackgroundColor(), colors.black)
eq("blink", term.getCursorBlink(), false)
local x, y = term.getCursorPos()
eq("cursor x", x, 1) eq("cursor y", y, 1)
-- colours: the lowest set bit counts; 0 and negatives are white
term.setTextColour(colors.red) eq("red", term.getTextColor(), 16384)
term.setTextColor(colors.red + colors.blue) eq("lowest bit", term.getTextColour(), colors.blue)
term.setBackgroundColour(0) eq("zero is white", term.getBackgroundColour(), colors.white)
term.setBackgroundColor(-5) eq("negative is white", term.getBackgroundColour(), 1)
term.setBackgroundColour(colors.black)
-- cursor: anywhere, even off screen; numbers are truncated
term.setCursorPos(0, 30) x, y = term.getCursorPos() eq("off x", x, 0) eq("off y", y, 30)
-- (what is written shows in the output: row 3 from column 2)
term.setCursorPos(2.9, "3") x, y = term.getCursorPos() eq("trunc x", x, 2) eq("string y", y, 3)
term.write("abc") x = term.getCursorPos() eq("x after write", x, 5)
term.write(1.5) x = term.getCursorPos() eq("x after number", x, 8)
term.setCursorBlink(true) eq("blink on", term.getCursorBlink(), true)
term.setCursorBlink(false)
-- palette
local r, g, b = term.getPaletteColour(colors.red)
eq("red r", r, 0xCC / 255) eq("red g", g, 0x4C / 255) eq("red b", b, 0x4C / 255)
term.setPaletteColour(colors.red, 0x123456)
r, g, b = term.getPaletteColor(colors.red)
eq("set r", r, 0x12 / 255) eq("set g", g, 0x34 / 255) eq("set b", b, 0x56 / 255)
term.setPaletteColor(colors.red, 1, 0.5, 0)
r, g, b = term.getPaletteColour(colors.red)
eq("8-bit r", r, 1) eq("8-bit g", g, 127 / 255) eq("8-bit b", b, 0)
r, g, b = term.nativePaletteColour(colors.red)
eq("native r", r, 0xCC / 255) eq("native g", g, 0x4C / 255)
r, g, b = term.nativePaletteColor(colors.white)
eq("native white", r, 0xF0 / 255)
r = term.nativePaletteColour(colors.black) eq("native black", r, 0x11 / 255)
eq("native has no nativePaletteColour", term.native().nativePaletteColour, nil)
term.setCursorPos(1, 1)
print("ok")
