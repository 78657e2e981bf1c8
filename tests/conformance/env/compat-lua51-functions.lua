--[==[case
clauses = ["X7"]
summary = "the Lua 5.1 functions CraftOS-PC's Lua 5.2 keeps: unpack, loadstring (name prefixed with =), table.maxn/getn/setn/foreach/foreachi/move, math.pow, math.log10"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2) end
end
-- CraftOS-PC runs Lua 5.2; the runner also builds on Lua 5.1, 5.3, 5.4 and
-- LuaJIT (which reports "Lua 5.1"), and must offer the same functions there.
assert(_VERSION == "Lua 5.2" or _VERSION == "Lua 5.1" or _VERSION == "Lua 5.3" or _VERSION == "Lua 5.4", _VERSION)
eq("unpack", unpack, table.unpack)
eq("unpack values", select("#", unpack({ 1, 2, nil, 4 }, 1, 4)), 4)
-- loadstring: a plain chunk name is shown as given
local f, e = loadstring("x x", "mychunk")
-- (Lua 5.1's parser, LuaJIT's too, words this syntax error differently.)
eq("loadstring error", e, _VERSION == "Lua 5.1" and "mychunk:1: '=' expected near 'x'" or "mychunk:1: syntax error near 'x'")
f, e = loadstring("x x")
assert(e:match('^%[string "x x"%]:1: '), e)
f, e = loadstring("x x", "=other")
assert(e:match("^other:1: "), e)
eq("loadstring runs", loadstring("return 1 + ...")(2), 3)
local ok, err = pcall(loadstring("error('boom')", "named"))
eq("runtime position", err, "named:1: boom")
eq("maxn", table.maxn({ 1, 2, [10] = 3, [-4] = 1, [2.5] = 0, x = 1 }), 10)
eq("maxn empty", table.maxn({}), 0)
eq("getn", table.getn({ 1, 2, 3 }), 3)
local t = {}
eq("setn", table.setn(t, 5), t)
eq("foreach", table.foreach({ a = 1 }, function(k, v) return k .. v end), "a1")
local seen = {}
eq("foreachi", table.foreachi({ 5, 6, 7 }, function(i, v) seen[#seen + 1] = v end), nil)
eq("foreachi order", table.concat(seen, ","), "5,6,7")
eq("move", table.concat(table.move({ 1, 2, 3 }, 1, 3, 2), ","), "1,1,2,3")
eq("move to other", table.concat(table.move({ 1, 2, 3 }, 2, 3, 1, {}), ","), "2,3")
eq("pow", math.pow(2, 10), 1024)
eq("log10", math.log10(1000), 3)
eq("log10 frac", math.log10(2), math.log(2, 10))
ok, err = pcall(function() table.maxn(nil) end)
assert(not ok and err:match(":%d+: bad argument #1 to 'maxn' %(table expected, got nil%)$"), err)
-- Lua 5.2 itself: goto, bit32, load with env
eq("bit32", type(bit32), "table")
eq("load env", load("return x", "c", "t", { x = 4 })(), 4)
print("ok")
