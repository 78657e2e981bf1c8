--[==[case
clauses = ["X12", "G2"]
summary = "the ROM's cc modules by require: cc.expect (expect/field/range, callable, its texts), cc.strings (wrap, ensure_width, split), cc.pretty (documents, layout to a width, pretty-printing values), cc.completion (choice, side, setting, peripheral)"
stdout = '''
{ 1, 2, x = { y = {} } }
{
  alpha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  beta = 2
}
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises, list = A.eq, A.returns, A.raises, A.list

-- cc.expect
local E = require("cc.expect")
eq("same module twice", require("cc.expect"), E)
eq("loaded", package.loaded["cc.expect"], E)
eq("expect returns the value", E.expect(1, "x", "string"), "x")
eq("callable", E(2, 5, "string", "number"), 5)
local function greet(name) E.expect(1, name, "string") end
-- the function's name is known only to the debug library, which the runner leaves out
local ok, err = pcall(greet, 5)
if not (err:find("bad argument #1 (string expected, got number)", 1, true) or err:find("bad argument #1 to 'greet' (string expected, got number)", 1, true)) then
  error("expect: " .. err)
end
ok, err = pcall(greet)
eq("nil is 'nil'", err:match("%(.*%)$"), "(string expected, got nil)")
ok, err = pcall(function() E.expect(1, {}, "string", "number", "nil") end)
eq("several types", err:match("%(.*%)$"), "(string or number expected, got table)")
ok, err = pcall(function() E.expect(1, true, "string", "number", "table") end)
eq("three types", err:match("%(.*%)$"), "(string, number or table expected, got boolean)")
eq("field", E.field({ a = 1 }, "a", "number"), 1)
-- field and range report at the caller of the function that checks
local function get_a(t) local v = E.field(t, "a", "number", "nil") return v end
local function get_b(t) local v = E.field(t, "b", "number") return v end
local function ranged(n, lo, hi) local v = E.range(n, lo, hi) return v end
raises("field missing", function() get_a({ a = true }) end, "bad field 'a' (number expected, got boolean)")
raises("field missing", function() get_b({}) end, "field 'b' missing from table")
raises("field type", function() get_a({ a = "x" }) end, "bad field 'a' (number expected, got string)")
eq("range", E.range(5, 1, 10), 5)
raises("range outside", function() ranged(11, 1, 10) end, "number outside of range (expected 11 to be within 1 and 10)")
raises("range nan", function() ranged(0/0) end, "number outside of range (expected " .. tostring(0/0) .. " to be within " .. tostring(-math.huge) .. " and " .. tostring(math.huge) .. ")")

-- cc.strings
local S = require "cc.strings"
eq("wrap", list(S.wrap("the quick brown fox jumps", 10)), "the quick ,brown fox ,jumps")
-- (as CC: the first piece of a word too long for any line leaves a column)
eq("wrap long word", list(S.wrap("abcdefghijklmnop", 6)), "abcde,fghijk,lmnop")
eq("wrap newlines", list(S.wrap("a\n\nb", 5)), "a,,b")
eq("wrap default width", list(S.wrap(("ab "):rep(40))), list(S.wrap(("ab "):rep(40), (term.getSize()))))
raises("wrap width", function() S.wrap("x", 0) end, "number outside of range (expected 0 to be within 1 and " .. tostring(math.huge) .. ")")
eq("ensure_width pads", S.ensure_width("ab", 4), "ab  ")
eq("ensure_width cuts", S.ensure_width("abcdef", 3), "abc")
eq("split", list(S.split("a,b,,c", ",")), "a,b,,c")
eq("split pattern", #S.split("This is a sentence.", "%s+"), 4)
eq("split plain, limit", list(S.split("a-b-c-d", "-", true, 3)), "a,b,c-d")
eq("split nothing", list(S.split("abc", ";")), "abc")
raises("split empty separator", function() S.split("abc", "") end, "separator is empty")

-- cc.pretty
local P = require "cc.pretty"
local doc = P.group(P.text("hello") .. P.space_line .. P.text("world"))
eq("render wide", P.render(doc, 20), "hello world")
eq("render narrow", P.render(doc, 8), "hello\nworld")
eq("tostring", tostring(doc), "hello world")
eq("nest", P.render(P.text("a") .. P.nest(2, P.line .. P.text("b")), 10), "a\n  b")
eq("line is empty when flat", P.render(P.group(P.text("a") .. P.line .. P.text("b")), 10), "ab")
eq("text with newlines", P.render(P.text("a\nb")), "a\nb")
eq("grouped, they fit as spaces", P.render(P.group(P.text("a\nb")), 5), "a b")
eq("concat strings", P.render(P.concat("a", P.space, "b")), "a b")
eq("empty", P.render(P.empty), "")
raises("nest depth", function() P.nest(0, P.empty) end, "depth must be a positive number")
eq("pretty numbers", P.render(P.pretty(42)), "42")
eq("pretty string", P.render(P.pretty("a\"b\nc")), '"a\\"b\\nc"')
eq("pretty empty table", P.render(P.pretty({})), "{}")
eq("pretty nil", P.render(P.pretty(nil)), "nil")
local value = { 1, 2, "three", x = { y = {} }, ["key with space"] = true }
eq("pretty table, wide", P.render(P.pretty(value), 80, 1), '{ 1, 2, "three", ["key with space"] = true, x = { y = {} } }')
-- a group is laid flat when it fits the width and the ribbon (0.6 of it)
eq("pretty table, ribbon", P.render(P.pretty(value), 80):sub(1, 5), "{\n  1")
eq("pretty table, narrow", P.render(P.pretty(value), 30),
  '{\n  1,\n  2,\n  "three",\n  ["key with space"] = true,\n  x = { y = {} }\n}')
eq("pretty table, narrower", P.render(P.pretty(value), 20):match("x = .*"), "x = {\n    y = {}\n  }\n}")
local loop = {} loop.self = loop
eq("pretty a cycle", P.render(P.pretty(loop)):match("^{ self = table: "), "{ self = table: ")
P.print(P.pretty({ 1, 2, x = { y = {} } }))
P.pretty_print({ alpha = ("a"):rep(30), beta = 2 })

-- cc.completion
local C = require "cc.completion"
eq("choice", list(C.choice("he", { "hello", "help", "world", "he" })), "llo,lp")
eq("choice with space", list(C.choice("he", { "hello", "he" }, true)), "llo , ")
eq("side", list(C.side("b")), "ottom,ack")
eq("peripheral", #C.peripheral(""), 0)
eq("setting", list(C.setting("shell.allow_s")), "tartup")
raises("choice text", function() C.choice(1, {}) end, "bad argument #1 (string expected, got number)")

eq("cc.require", type(require("cc.require").make), "function")
print("ok")
