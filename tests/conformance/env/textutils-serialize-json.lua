--[==[case
clauses = ["X6"]
summary = "textutils.serializeJSON/serialiseJSON as CC: {} for an empty table, arrays up to the largest index with null holes, string keys make an object (numeric keys dropped), json_null/empty_json_array, \\uXXXX for control and high bytes (unicode_strings: UTF-8 code points, surrogate pairs), nbt_style, numbers as tostring, errors"
stdout = '''
{} [1,2,3] [1,null,3] {"a":{}} [] {"x":null} [null,[],{}]
{"a":2} ["a",null,"c"] {} [null,2] [null]
"a\\"b\\\\c/\\n\\r\\t\\b\\f\\u0001\\u001F \\u007F\\u0080\\u00C8\\u00FF\\u00C3\\u00A9"
"\\u00E9\\uD83D\\uDE00\\u007Fa\\u0000" "plain\\u007F" {"\\u00E9":"\\u00FC"} {"\\u00C3\\u00A9":"\\u00C3\\u00BC"}
1.5 0.33333333333333 1e+100 42 -0 9.007199254741e+15 inf -inf true false "x"
{a:1} {a:{b:"c"}} [1,2]
Cannot serialize table with repeated entries
[[1],[1]]
Cannot serialize table with recursive entries
Cannot serialize type function
Cannot serialize type function
bad argument #1 to 'serializeJSON' (table, string, number or boolean expected, got nil)
bad argument #2 to 'serializeJSON' (table or boolean expected, got number)
bad field 'unicode_strings' (boolean expected, got number)
serialiseJSON is serializeJSON: true
ok
'''
]==]
local J = textutils.serializeJSON
local function line(...) print(table.concat({ ... }, " ")) end
line(J({}), J({ 1, 2, 3 }), J({ 1, nil, 3 }), J({ a = {} }), J(textutils.empty_json_array),
  J({ x = textutils.json_null }), J({ textutils.json_null, textutils.empty_json_array, {} }))
line(J({ 1, a = 2 }), J({ [1] = "a", [3] = "c" }), J({ [0] = "zero" }), J({ [-1] = 1, [2] = 2 }), J({ [1.5] = 1 }))
line(J("a\"b\\c/\n\r\t\b\f\1\31 \127\128\200\255\195\169"))
line(J("\195\169\240\159\152\128\127a\0", { unicode_strings = true }), J("plain\127", { unicode_strings = true }),
  J({ ["\195\169"] = "\195\188" }, { unicode_strings = true }), J({ ["\195\169"] = "\195\188" }))
-- (-0 computed, not the constant -0.0: Lua 5.1 merges that with a 0
-- constant of the same function, as 0 == -0.)
line(J(1.5), J(1 / 3), J(1e100), J(42), J(-1 / math.huge), J(2 ^ 53), J(math.huge), J(-math.huge), J(true), J(false), J("x"))
line(J({ a = 1 }, true), J({ a = { b = "c" } }, { nbt_style = true }), J({ 1, 2 }, true))

local function E(f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "no error")
  return err
end
local t = { 1 }
print(E(J, { t, t }))
print(J({ t, t }, { allow_repetitions = true }))
local r = {} r[1] = r
print(E(J, r, { allow_repetitions = true }))
print(E(J, { print }))
print(E(J, { a = print }))
-- Each line calls error("ref") and serializeJSON from functions on that line.
local function check(ref, f)
  local pos = E(ref):match("^(.*:%d+: )ref$")
  local err = E(f)
  assert(err:sub(1, #pos) == pos, ("want position %q in %q"):format(pos, err))
  print(err:sub(#pos + 1))
end
check(function() error("ref") end, function() local s = J(nil) end)
check(function() error("ref") end, function() local s = J({}, 5) end)
check(function() error("ref") end, function() local s = J({}, { unicode_strings = 1 }) end)
print("serialiseJSON is serializeJSON: " .. tostring(textutils.serialiseJSON == J))
print("ok")
