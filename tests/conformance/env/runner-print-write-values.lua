--[==[case
clauses = ["X2"]
summary = "print/write: values through tostring (__tostring, nil, numbers as %.14g), tab-separated; both return the lines printed; write takes strings and numbers only, at the caller's position"
stdout = '''
a	1	nil	true	false	custom
2.5	5	0.33333333333333	1e+100	-0	inf
first
second	x
tail
p
print("p") -> 1

print() -> 1
a
b	c

print("a\\nb", "c\\n") -> 3
one
two
write("one\\ntwo\\n") -> 2
12write(12) -> 0
write("") -> 0
nil	nil
print(nil, nil) -> 1
ok
'''
]==]
local obj = setmetatable({}, { __tostring = function() return "custom" end })
print("a", 1, nil, true, false, obj)
local five, negative_zero = 10 / 2, -0.0
if math.type then
  -- Lua 5.3 and 5.4 (math.type): print shows what tostring gives, and
  -- their tostring keeps the ".0" of a float with an integral value, where
  -- CraftOS-PC's Lua 5.2 has "5" and "-0".
  assert(tostring(five) == "5.0" and tostring(negative_zero) == "-0.0")
  five, negative_zero = 5, "-0"
end
print(2.5, five, 1 / 3, 1e100, negative_zero, math.huge)
print("first\nsecond", "x")
write("ta") write("il\n")
local function report(what, n) print(what .. " -> " .. tostring(n)) end
report('print("p")', print("p"))
report("print()", print())
report('print("a\\nb", "c\\n")', print("a\nb", "c\n"))
report('write("one\\ntwo\\n")', write("one\ntwo\n"))
report("write(12)", write(12))
report('write("")', write(""))
report("print(nil, nil)", print(nil, nil))

local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
-- Each line calls error("ref") and write from functions on that line: the
-- error must carry the same position.
local function check(ref, f, want)
  local where = E(ref):match("^(.*:%d+: )ref$")
  local err = E(f)
  if err ~= where .. want then error(("want %q, got %q"):format(where .. want, tostring(err)), 2) end
end
check(function() error("ref") end, function() write(nil) end, "bad argument #1 to 'write' (string or number expected, got nil)")
check(function() error("ref") end, function() write({}) end, "bad argument #1 to 'write' (string or number expected, got table)")
check(function() error("ref") end, function() write(true) end, "bad argument #1 to 'write' (string or number expected, got boolean)")
print("ok")
