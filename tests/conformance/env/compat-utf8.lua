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
local s = "H\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" -- Hé€😀
eq("char", utf8.char(72, 233, 8364, 128512), s)
eq("char none", utf8.char(), "")
eq("charpattern", utf8.charpattern, "[\0-\x7F\xC2-\xF4][\x80-\xBF]*")
eq("len", utf8.len(s), 4)
eq("len range", utf8.len(s, 2), 3)
eq("len negative", utf8.len(s, -4), 1)
local n, pos = utf8.len("a\xFFb")
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
assert(E(function() utf8.char(0x110000) end):match(":%d+: bad argument #1 to 'char' %(value out of range%)$"))
assert(E(function() utf8.char("x") end):match(":%d+: bad argument #1 to 'char' %(number expected, got string%)$"))
assert(E(function() utf8.codepoint("\xFF") end):match(":%d+: invalid UTF%-8 code$"))
assert(E(function() utf8.codepoint("abc", 4) end):match(":%d+: bad argument #3 to 'codepoint' %(out of range%)$"))
assert(E(function() utf8.len("abc", 5) end):match(":%d+: bad argument #2 to 'len' %(initial position out of string%)$"))
assert(E(function() utf8.offset("\xC3\xA9", 1, 2) end):match(":%d+: initial position is a continuation byte$"))
assert(E(function() for _ in utf8.codes("a\xFF") do end end):match(":%d+: invalid UTF%-8 code$"))
assert(E(function() utf8.len() end):match(":%d+: bad argument #1 to 'len' %(string expected, got nil%)$"))
print("ok")
