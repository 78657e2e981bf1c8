--[==[case
clauses = ["X7"]
summary = "string.pack/packsize/unpack as CraftOS-PC's Lua 5.2 backport of Lua 5.3's: bytes, alignment, endianness, results and errors"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %q, want %q"):format(what, tostring(got), tostring(want)), 2) end
end
eq("i4 little", string.pack("<i4", -2), "\254\255\255\255")
eq("big endian", string.pack(">I2 s1 z", 258, "ab", "c"), "\1\2\2abc\0")
eq("float", string.pack("<f", 0.5), "\0\0\0\63")
eq("double", #string.pack("d", 1), 8)
eq("char padded", string.pack("c4", "ab"), "ab\0\0")
local a, b, c, d, n = string.unpack("<i4 d s2 B", string.pack("<i4 d s2 B", -7, 1.5, "xyz", 255))
eq("a", a, -7) eq("b", b, 1.5) eq("c", c, "xyz") eq("d", d, 255) eq("next", n, 19)
eq("packsize aligned", string.packsize("!8 b d"), 16)
eq("packsize unaligned", string.packsize("b d"), 9)
eq("unpack at", (string.unpack("c3", "abcdef", 2)), "bcd")
eq("unpack negative position", (string.unpack("c2", "abcdef", -2)), "ef")
-- Lua 5.2 has only floats, so an unsigned 64-bit value is a number there;
-- Lua 5.3 and 5.4 (math.type) bring their own pack, whose integers wrap.
eq("J is a number", string.unpack("J", string.pack("j", -1)), math.type and -1 or 2 ^ 64)
eq("i16", (string.unpack("i16", string.pack("i16", -3))), -3)
eq("method", ("<I2"):pack(1), "\1\0")
local function E(f) local ok, e = pcall(f) return e end
assert(E(function() string.pack("i1", 200) end):match(":%d+: bad argument #2 to 'pack' %(integer overflow%)$"))
assert(E(function() string.pack("i17", 1) end):match(":%d+: integral size %(17%) out of limits %[1,16%]$"))
assert(E(function() string.pack("y") end):match(":%d+: invalid format option 'y'$"))
assert(E(function() string.packsize("s") end):match(":%d+: bad argument #1 to 'packsize' %(variable%-length format%)$"))
assert(E(function() string.unpack("i4", "abc") end):match(":%d+: bad argument #2 to 'unpack' %(data string too short%)$"))
if _VERSION == "Lua 5.3" then
  -- Lua 5.3 brings its own unpack, which reads an unterminated "z" up to the
  -- end of the data and past it, to the C string's terminator (the check
  -- came with 5.4).
  local v, n = string.unpack("z", "abc")
  assert(v == "abc" and n == 5, n)
else
  assert(E(function() string.unpack("z", "abc") end):match(":%d+: bad argument #2 to 'unpack' %(unfinished string for format 'z'%)$"))
end
print("ok")
