--[==[case
clauses = ["X9", "G2", "G3"]
summary = "term argument errors: strings with the caller's position, G3 wording; CraftOS-PC's texts for colours and blit"
stdout = '''
ok
'''
]==]
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
-- Each line calls error("ref") and the API from functions on that line:
-- the API's error must carry the same position.
local function check(ref, f, want)
  local where = E(ref):match("^(.*:%d+: )ref$")
  local err = E(f)
  if err ~= where .. want then error(("want %q, got %q"):format(where .. want, tostring(err)), 2) end
end
check(function() error("ref") end, function() term.write() end, "bad argument #1 to 'write' (string expected, got nil)")
check(function() error("ref") end, function() term.write({}) end, "bad argument #1 to 'write' (string expected, got table)")
check(function() error("ref") end, function() term.setCursorPos("x", 1) end, "bad argument #1 to 'setCursorPos' (number expected, got string)")
check(function() error("ref") end, function() term.setCursorPos(1) end, "bad argument #2 to 'setCursorPos' (number expected, got nil)")
check(function() error("ref") end, function() term.setCursorBlink("yes") end, "bad argument #1 to 'setCursorBlink' (boolean expected, got string)")
check(function() error("ref") end, function() term.scroll() end, "bad argument #1 to 'scroll' (number expected, got nil)")
check(function() error("ref") end, function() term.setTextColour() end, "bad argument #1 to 'setTextColour' (number expected, got nil)")
check(function() error("ref") end, function() term.setBackgroundColor("red") end, "bad argument #1 to 'setBackgroundColor' (number expected, got string)")
check(function() error("ref") end, function() term.setTextColor(65536) end, "bad argument #1 (invalid color 16)")
check(function() error("ref") end, function() term.getPaletteColour(2 ^ 20) end, "bad argument #1 (invalid color 20)")
check(function() error("ref") end, function() term.nativePaletteColour(2 ^ 16) end, "bad argument #1 (invalid color 16)")
check(function() error("ref") end, function() term.setPaletteColour(colors.red, "x", 1, 1) end, "bad argument #2 to 'setPaletteColour' (number expected, got string)")
check(function() error("ref") end, function() term.blit("ab", "00") end, "bad argument #3 to 'blit' (string expected, got nil)")
check(function() error("ref") end, function() term.blit("ab", "00", "f") end, "Arguments must be the same length")
check(function() error("ref") end, function() term.getSize({}) end, "bad argument #1 to 'getSize' (boolean or number expected, got table)")
check(function() error("ref") end, function() term.redirect(nil) end, "bad argument #1 to 'redirect' (table expected, got nil)")
check(function() error("ref") end, function() term.redirect(term) end, "term is not a recommended redirect target, try term.current() instead")
-- the same through term.native() directly
local native = term.native()
check(function() error("ref") end, function() native.setCursorPos({}, 1) end, "bad argument #1 to 'setCursorPos' (number expected, got table)")
-- errors are plain strings
local e = E(function() term.write() end)
assert(type(e) == "string" and tostring(e) == e)
print("ok")
