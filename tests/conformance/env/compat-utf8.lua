--[==[case
clauses = ["X7"]
summary = "utf8 (Lua 5.3's, as CraftOS-PC backports it): char, charpattern, codes, codepoint, len, offset, with its errors"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2) end
end
local s = "H\195\169\226\130\172\240\159\152\128" -- Hé€😀
eq("char", utf8.char(72, 233, 8364, 128512), s)
eq("char none", utf8.char(), "")
-- CraftOS-PC's (and Lua 5.3's). Lua 5.1 and LuaJIT (whose _VERSION is "Lua
-- 5.1") end a pattern at a NUL, so there the runner's utf8 spells it %z;
-- Lua 5.4 brings its own utf8, whose pattern allows lead bytes up to \253.
local charpattern = "[\0-\127\194-\244][\128-\191]*"
if _VERSION == "Lua 5.1" then charpattern = "[%z\1-\127\194-\244][\128-\191]*" end
if _VERSION == "Lua 5.4" then charpattern = "[\0-\127\194-\253][\128-\191]*" end
eq("charpattern", utf8.charpattern, charpattern)
eq("len", utf8.len(s), 4)
eq("len range", utf8.len(s, 2), 3)
eq("len negative", utf8.len(s, -4), 1)
local n, pos = utf8.len("a\255b")
eq("len invalid", n, nil) eq("len position", pos, 2)
eq("codepoint", select("#", utf8.codepoint(s, 1, -1)), 4)
eq("codepoint value", select(3, utf8.codepoint(s, 1, -1)), 8364)
eq("codepoint default", utf8.codepoint(s), 72)
eq("offset", utf8.offset(s, 3), 4)
eq("offset back", utf8.offset(s, -1), 7)
eq("offset 0", utf8.offset(s, 0, 3), 2)
eq("offset past", utf8.offset(s, 6), nil)
eq("offset end", utf8.offset(s, 5), 11)
local got = {}
for p, c in utf8.codes(s) do got[#got + 1] = p .. ":" .. c end
eq("codes", table.concat(got, " "), "1:72 2:233 4:8364 7:128512")
local count = 0
for _ in s:gmatch(utf8.charpattern) do count = count + 1 end
eq("gmatch", count, 4)
local function E(f) local ok, e = pcall(f) return e end
-- Lua 5.3 and 5.4 bring their own utf8 (the runner adds its copy only where
-- the VM has none): their checks say "no value" for a missing argument, and
-- 5.4's accepts code points up to 2^31 - 1 and says "out of bounds".
local own = _VERSION == "Lua 5.3" or _VERSION == "Lua 5.4"
local v54 = _VERSION == "Lua 5.4"
assert(E(function() utf8.char(v54 and 0x80000000 or 0x110000) end):match(":%d+: bad argument #1 to 'char' %(value out of range%)$"))
assert(E(function() utf8.char("x") end):match(":%d+: bad argument #1 to 'char' %(number expected, got string%)$"))
assert(E(function() utf8.codepoint("\255") end):match(":%d+: invalid UTF%-8 code$"))
assert(E(function() utf8.codepoint("abc", 4) end):match(":%d+: bad argument #3 to 'codepoint' %(out of " .. (v54 and "bounds" or "range") .. "%)$"))
assert(E(function() utf8.len("abc", 5) end):match(":%d+: bad argument #2 to 'len' %(initial position out of " .. (v54 and "bounds" or "string") .. "%)$"))
assert(E(function() utf8.offset("\195\169", 1, 2) end):match(":%d+: initial position is a continuation byte$"))
assert(E(function() for _ in utf8.codes("a\255") do end end):match(":%d+: invalid UTF%-8 code$"))
assert(E(function() utf8.len() end):match(":%d+: bad argument #1 to 'len' %(string expected, got " .. (own and "no value" or "nil") .. "%)$"))
print("ok")
