--[==[case
clauses = ["X6"]
summary = "textutils.unserializeJSON/unserialiseJSON as CC: values and escapes, whitespace, null -> nil unless parse_null (json_null), [] -> empty_json_array unless parse_empty_array = false, nbt_style; bad JSON -> nil and CC's 'Malformed JSON at position N: ...' message (characters quoted by CraftOS-PC's %q)"
stdout = '''
1 2 table nil x\xC3\xA9\n"\\/ true false -150 100 0 3
parse_null: true true
parse_empty_array=false: false table nil
holes: 3 1 true
nbt: 1 2 q
[{"a":}] nil Malformed JSON at position 6: Unexpected character "}".
[[1] x] nil Malformed JSON at position 5: Unexpected trailing character "x".
[] nil Malformed JSON at position 1: Unexpected end of input.
[[1,2] nil Malformed JSON at position 5: Unexpected end of input, expected ',' or ']'.
[{"a" 1}] nil Malformed JSON at position 6: Unexpected "1", expected ':'.
["\\q"] nil Malformed JSON at position 3: Unknown escape character "q".
["a\tb"] nil Malformed JSON at position 4: Unescaped whitespace "\t".
["a\rb"] nil Malformed JSON at position 4: Unescaped whitespace "\\r".
[tru] nil Malformed JSON at position 1: Unexpected character "t".
[{1:2}] nil Malformed JSON at position 2: Unexpected "1", expected object key.
[[1,]] nil Malformed JSON at position 4: Unexpected character "]".
["abc] nil Malformed JSON at position 5: Unexpected end of input, expected '"'.
[{"a":1,}] nil Malformed JSON at position 8: Unexpected "}", expected object key.
[nul] nil Malformed JSON at position 1: Unexpected character "n".
["\\u12"] nil Malformed JSON at position 2: Malformed unicode escape "12\\"".
[{] nil Malformed JSON at position 2: Unexpected end of input, expected '}'.
bad argument #1 to 'unserializeJSON' (string expected, got number)
bad argument #2 to 'unserializeJSON' (table expected, got number)
bad field 'parse_null' (boolean expected, got number)
unserialiseJSON is unserializeJSON: true
ok
'''
]==]
local U = textutils.unserializeJSON
local v = U('{"a":[1,2,{"b":null}],"c":"x\\u00e9\\n\\"\\\\\\/","d":true,"e":false,"f":-1.5e2,"g":1E+2,"h":0}')
if math.type then
  -- Lua 5.3 and 5.4 (math.type): numbers read as tonumber reads them, so
  -- one with a fraction or an exponent is a float ("-150.0"), one without
  -- an integer; CraftOS-PC's Lua 5.2 prints both without ".0".
  assert(math.type(v.f) == "float" and math.type(v.g) == "float" and math.type(v.h) == "integer")
  v.f, v.g = math.tointeger(v.f), math.tointeger(v.g)
end
print(table.concat({ v.a[1], v.a[2], type(v.a[3]), tostring(v.a[3].b), v.c, tostring(v.d), tostring(v.e), v.f, v.g, v.h, #v.a }, " "))
v = U(' \n {"a" : null , "b":[ ] } \t', { parse_null = true })
print("parse_null: " .. tostring(v.a == textutils.json_null) .. " " .. tostring(v.b == textutils.empty_json_array))
v = U("[]", { parse_empty_array = false })
print("parse_empty_array=false: " .. tostring(v == textutils.empty_json_array) .. " " .. type(v) .. " " .. tostring(next(v)))
print("holes: " .. U("[1,null,3]")[3] .. " " .. select("#", U("null")) .. " " .. tostring(U("null", { parse_null = true }) == textutils.json_null))
local nbt = U("{a:1b,b:[I;1,2],c:'q'}", { nbt_style = true })
print("nbt: " .. nbt.a .. " " .. nbt.b[2] .. " " .. nbt.c)
for _, bad in ipairs({ '{"a":}', "[1] x", "", "[1,2", '{"a" 1}', '"\\q"', '"a\tb"', '"a\rb"', "tru", "{1:2}", "[1,]", '"abc',
  '{"a":1,}', "nul", '"\\u12"', "{" }) do
  local value, message = U(bad)
  print("[" .. bad .. "] " .. tostring(value) .. " " .. message)
end
local function check(f)
  local ok, err = pcall(f)
  assert(not ok, "no error")
  print(err:match("^.-:%d+: (.*)$"))
end
check(function() local x = U(5) end)
check(function() local x = U("1", 5) end)
check(function() local x = U("1", { parse_null = 1 }) end)
print("unserialiseJSON is unserializeJSON: " .. tostring(textutils.unserialiseJSON == U))
print("ok")
