--[==[case
clauses = ["X7"]
summary = "loadfile(path[, mode][, env]) and dofile read through fs: chunk named @/path, env (also the old loadfile(path, env) form), mode, nil + 'File not found', dofile raising at the caller, argument errors as cc.expect"
files = ["fs-assert.lib"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local D = "fs-tmp-loadfile"
local Dpat = D:gsub("%-", "%%-")
fs.delete(D)
local function put(name, text) local h = fs.open(D .. "/" .. name, "w") h.write(text) h.close() end
put("mod.txt", "counter = (counter or 0) + 1\nreturn ..., counter")
put("syntax.txt", "return +")
put("boom.txt", "\n\nerror('boom')")
put("env.txt", "return print")

local f = assert(loadfile(D .. "/mod.txt"))
local a, b = f("arg")
eq("args reach the chunk", a, "arg")
eq("global environment", b, 1)
eq("global written", counter, 1)
local env = {}
f = assert(loadfile(D .. "/mod.txt", env))
local _, c = f()
eq("old form env", c, 1) eq("env written", env.counter, 1) eq("global untouched", counter, 1)
f = assert(loadfile(D .. "/mod.txt", "t", env)) f()
eq("mode and env", env.counter, 2)
f = assert(loadfile(D .. "/mod.txt", nil, env)) f()
eq("nil mode and env", env.counter, 3)
eq("env has no print", assert(loadfile(D .. "/env.txt", {}))(), nil)
eq("default env has print", assert(loadfile(D .. "/env.txt"))(), print)
local g, e = loadfile(D .. "/mod.txt", "b")
eq("binary-only mode refuses text", g, nil) eq("mode message", type(e), "string")
g, e = loadfile(D .. "/nope.txt")
eq("missing", g, nil) eq("missing message", e, "File not found")
g, e = loadfile(D)
eq("directory", g, nil) eq("directory message", e, "File not found")
g, e = loadfile(D .. "/syntax.txt")
eq("syntax error", g, nil)
eq("chunk name", e:match("^/" .. Dpat .. "/syntax%.txt:1: ") ~= nil, true, e)
g, e = loadfile("\\" .. D .. "/./syntax.txt")
eq("chunk name normalised", e:match("^/" .. Dpat .. "/syntax%.txt:1: ") ~= nil, true, e)

local _, z = dofile(D .. "/mod.txt")
eq("dofile returns", z, 2)
eq("dofile global", counter, 2)
raises("dofile missing", function() dofile(D .. "/nope.txt") end, "File not found")
raises("dofile syntax", function() dofile(D .. "/syntax.txt") end, select(2, loadfile(D .. "/syntax.txt")))
local ok, err = pcall(dofile, D .. "/boom.txt")
eq("dofile runtime error", err, "/" .. D .. "/boom.txt:3: boom")
raises("loadfile no path", function() loadfile() end, "bad argument #1 to 'loadfile' (string expected, got nil)")
raises("loadfile mode type", function() loadfile("x", 1) end, "bad argument #2 to 'loadfile' (string or nil expected, got number)")
raises("loadfile env type", function() loadfile("x", "t", 1) end, "bad argument #3 to 'loadfile' (table or nil expected, got number)")
raises("dofile no path", function() dofile() end, "bad argument #1 to 'dofile' (string expected, got nil)")
fs.delete(D)
print("ok")
