--[==[case
clauses = ["X9"]
summary = "term.redirect/current/native as CC: targets get stubs for missing methods; while redirected, print and write draw through term, word-wrapped"
stdout = '''
hello
world and
more
world and
more
xback
ok
'''
]==]
local native = term.native()
assert(term.current() == native)
assert(type(native.write) == "function" and native.write ~= term.write)

-- A target missing methods gets stubs that say so.
local calls = {}
local partial = { write = function(s) calls[#calls + 1] = s end }
local old = term.redirect(partial)
assert(old == native and term.current() == partial)
term.write("to partial")
assert(calls[1] == "to partial")
local ok, e = pcall(term.clear)
assert(not ok and e:match("Redirect object is missing method clear%.$"), e)
assert(type(partial.setCursorPos) == "function")
term.redirect(native)

-- print/write through a 10x3 window: word-wrapped, scrolled, as CC's.
local win = window.create(term.current(), 1, 1, 10, 3)
old = term.redirect(win)
assert(old == native and term.current() == win)
local lines = print("hello world and more")
assert(lines == 3, "print returned " .. tostring(lines))
assert(write("x") == 0)
assert(select("#", win.getLine(1)) == 3)
assert(win.getLine(1) == "world and ", ("%q"):format(win.getLine(1)))
assert(win.getLine(2) == "more      ")
assert(win.getLine(3) == "x         ")
term.redirect(old)
-- back on the native terminal, at its cursor (where the window left it)
print("back")
print("ok")
