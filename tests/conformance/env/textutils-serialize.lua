--[==[case
clauses = ["X6"]
summary = "textutils.serialize/serialise byte for byte as CraftOS-PC: two-space indentation, the sequence first, identifier keys bare (goto too, as its keyword list lacks it), others bracketed; compact; %q strings with \\r and \\000 and other bytes raw; numbers as %.14g, 0/0, 1/0, -1/0"
stdout = '''
{
  1,
  "two",
  {
    nested = true,
  },
  name = "x",
}
{1,"two",{nested=true,},name="x",}
{} {} {
  {},
} {{},}
{
  a = {
    b = {
      c = {},
    },
  },
}
{a={b={c={1,},},},}
{
  1,
  2,
  [ 4 ] = 4,
}
{
  "a",
  "b",
}
{
  [ "end" ] = 1,
}
{
  goto = 1,
}
{
  [ 10 ] = "ten",
}
{
  [ 1.5 ] = 2,
}
{
  [ "a b" ] = 1,
}
{
  [ true ] = 1,
}
{
  _x9 = 1,
}
{
  [ "9x" ] = 1,
}
"a\\"b\\\\c\\
d\\re\\000f\tg\x01h\x7F\x80\xFF"
0.33333333333333 1e+100 9.007199254741e+15 -0 0/0 1/0 -1/0 42 0.1 1.2345678901235e+14 12345678901234 -1.5e-07
nil true false "x"
serialise is serialize: true
ok
'''
]==]
local S = textutils.serialize
local function line(...) print(table.concat({ ... }, " ")) end
print(S({ 1, "two", { nested = true }, name = "x" }))
print(S({ 1, "two", { nested = true }, name = "x" }, { compact = true }))
line(S({}), S({}, { compact = true }), S({ {} }), S({ {} }, { compact = true }))
print(S({ a = { b = { c = {} } } }))
print(S({ a = { b = { c = { 1 } } } }, { compact = true }))
print(S({ 1, 2, nil, 4 }))
print(S({ [2] = "b", [1] = "a" }))
print(S({ ["end"] = 1 }))
print(S({ ["goto"] = 1 }))
print(S({ [10] = "ten" }))
print(S({ [1.5] = 2 }))
print(S({ ["a b"] = 1 }))
print(S({ [true] = 1 }))
print(S({ _x9 = 1 }))
print(S({ ["9x"] = 1 }))
print(S("a\"b\\c\nd\re\0f\tg\1h\127\128\255"))
line(S(1 / 3), S(1e100), S(2 ^ 53), S(-0.0), S(0 / 0), S(math.huge), S(-math.huge), S(42), S(0.1),
  S(123456789012346), S(12345678901234), S(-1.5e-7))
line(S(nil), S(true), S(false), S("x"))
print("serialise is serialize: " .. tostring(textutils.serialise == textutils.serialize))
print("ok")
