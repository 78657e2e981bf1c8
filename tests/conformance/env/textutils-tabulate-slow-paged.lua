--[==[case
clauses = ["X14", "X6", "X9", "G2"]
summary = "textutils.tabulate (columns of the widest item + 1, at least width/8), pagedTabulate and pagedPrint print everything when stdin is not a terminal, slowWrite/slowPrint write each character in turn (wrapped to the screen), complete completes Lua names"
stdout = '''
one   two   three  four  five
alpha beta
x
line 1
line 2
2 lines
aaaaaaaaaaa        b
longer than eleven
slow
hello
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, raises, list = A.eq, A.raises, A.list

-- 51 columns: each at least 51/8 = 6.375 wide ("three" + 1 = 6 is less), so
-- 8 of them, at 1, 7.375, 13.75, ... (the cursor goes to the whole column)
textutils.tabulate({ "one", "two", "three", "four", "five" }, colours.red, { "alpha", "beta" })
textutils.pagedTabulate({ "x" })
local n = textutils.pagedPrint("line 1\nline 2")
print(n .. " lines")
textutils.tabulate({ "aaaaaaaaaaa", "b" }, { "longer than eleven" })
raises("tabulate arg", function() textutils.tabulate("x") end, "bad argument #1 to 'tabulate' (number or table expected, got string)")
raises("tabulate 3", function() textutils.pagedTabulate({}, {}, true) end, "bad argument #3 to 'pagedTabulate' (number or table expected, got boolean)")
raises("tabulate item", function() textutils.tabulate({ {} }) end, "bad argument #1.1 (string expected, got table)")
raises("pagedPrint free lines", function() textutils.pagedPrint("x", "y") end, "bad argument #2 to 'pagedPrint' (number expected, got string)")

local start = os.epoch("utc")
textutils.slowWrite("slow", 40)
print()
local took = os.epoch("utc") - start
if took < 60 then error("slowWrite did not wait between characters: " .. took .. " ms") end
textutils.slowPrint("hello", 200)
raises("slowWrite rate", function() textutils.slowWrite("x", -1) end, "Rate must be positive")
raises("slowPrint rate type", function() textutils.slowPrint("x", "1") end, "bad argument #2 to 'slowPrint' (number expected, got string)")

-- complete
eq("complete a global", list(textutils.complete("pri")), "nt(,ntError(")
eq("complete a table", list(textutils.complete("textutils.ser")), "ialise(,ialiseJSON(,ialize(,ializeJSON(")
eq("complete a table name", list(textutils.complete("texture", { textures = { a = 1 }, textual = {} })), "s.")
eq("complete methods", list(textutils.complete("s:ma", { s = string })), "tch(")
eq("keywords complete to nothing", #textutils.complete("end"), 0)
eq("not a table", #textutils.complete("print.x"), 0)
raises("complete type", function() textutils.complete(1) end, "bad argument #1 to 'complete' (string expected, got number)")
print("ok")
