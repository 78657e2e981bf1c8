--[==[case
clauses = ["X7"]
summary = "CC's bit API is bit32 under the old names (same functions): unsigned 32-bit results, arithmetic brshift, wraps at 32 bits"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2) end
end
eq("band is bit32.band", bit.band, bit32.band)
eq("brshift is arshift", bit.brshift, bit32.arshift)
eq("blogic_rshift is rshift", bit.blogic_rshift, bit32.rshift)
eq("blshift is lshift", bit.blshift, bit32.lshift)
eq("band", bit.band(0xFF0F, 0x0FFF), 0x0F0F)
eq("bor", bit.bor(1, 2, 4), 7)
eq("bxor", bit.bxor(5, 3), 6)
eq("bnot 0", bit.bnot(0), 4294967295)
eq("bnot -1", bit.bnot(-1), 0)
eq("negative wraps", bit.band(-1, 0xFFFFFFFF), 4294967295)
eq("band -2", bit.band(-2, 0xFF), 254)
eq("above 32 bits", bit.bor(2 ^ 32 + 5, 0), 5)
eq("blshift", bit.blshift(1, 31), 2147483648)
eq("blshift out", bit.blshift(1, 32), 0)
eq("blshift wraps", bit.blshift(0xFFFFFFFF, 4), 4294967280)
eq("brshift negative", bit.brshift(-8, 1), 4294967292)
eq("brshift positive", bit.brshift(8, 1), 4)
eq("brshift all", bit.brshift(-1, 40), 4294967295)
eq("blogic_rshift", bit.blogic_rshift(-8, 1), 2147483644)
eq("bit32.extract", bit32.extract(0xF0, 4, 4), 15)
eq("bit32.btest", bit32.btest(6, 1), false)
local ok, e = pcall(function() bit.band("x") end)
assert(not ok and e:match("bad argument #1 to 'band' %(number expected, got string%)$"), e)
print("ok")
