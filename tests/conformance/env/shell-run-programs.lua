--[==[case
clauses = ["X13", "X1", "X2"]
summary = "shell for the one program: shell.run/execute run a program from fs with its arguments (true when it ends, false after printing its error or 'No such program'), each in its own environment with shell, require from its directory and arg; getRunningProgram, dir/setDir, resolve, resolveProgram, programs, aliases, path, #! lines; the computer's own program has shell, require and arg"
args = ["two words", "x"]
stdout = '''
child: a b c d e 4
child sees: shell-tmp/apps/child.lua shell-tmp/apps/child local module
child: a b c d e 5
child sees: shell-tmp/apps/child.lua shell-tmp/apps/child.lua local module
hashbang: shell-tmp/apps/script.txt shell-tmp/apps/script.txt z
hashbang: shell-run-programs.lua from os.run
ok
'''
stderr_contains = ["No such program", "shell-tmp/apps/fails.lua:1: boom"]
]==]
local PORT = ...
local A = dofile("cc-assert.lib")
local eq, returns, raises, write, list = A.eq, A.returns, A.raises, A.write, A.list
local D = "shell-tmp"
fs.delete(D)
-- the modules are .lua files under tests/conformance: never leave them behind
local ok, err = pcall(function()
write(D .. "/apps/child.lua", [[
local args = { ... }
print("child: " .. table.concat(args, " ") .. " " .. #arg)
LEAKED = true
print("child sees: " .. shell.getRunningProgram() .. " " .. arg[0] .. " " .. require("lib.helper"))
]])
write(D .. "/apps/lib/helper.lua", "return 'local module'")
write(D .. "/apps/fails.lua", "error('boom')")
write(D .. "/apps/setter.lua", "LEAKED = true")
write(D .. "/apps/bad.lua", "this is not lua")
write(D .. "/apps/interp.lua", "print('hashbang: ' .. shell.getRunningProgram() .. ' ' .. table.concat({ ... }, ' '))")
write(D .. "/apps/script.txt", "#!" .. D .. "/apps/interp.lua\nignored")
write(D .. "/apps/.hidden.lua", "")
write(D .. "/api/myapi.lua", "function twice(n) return 2 * n end local hidden = 1 VALUE = 7")
write(D .. "/api/broken.lua", "error('no', 0)")

-- the computer's own program
local me = shell.getRunningProgram()
eq("running program", me, "shell-run-programs.lua")
eq("arg[0]", arg[0], me)
eq("arg", arg[2] .. "|" .. arg[3], "two words|x")
eq("arg[1] is ...", arg[1], PORT)
eq("dir", shell.dir(), "")
eq("path", shell.path(), ".:/rom/programs:/rom/programs/http")
eq("no aliases", next(shell.aliases()), nil)
eq("require at the top level", type(require), "function")

-- run and execute
eq("run", shell.run(D .. "/apps/child", "a", "b \"c d\"", "e"), true)
eq("globals stay in the program's environment", LEAKED, nil)
eq("running program after", shell.getRunningProgram(), me)
eq("execute", shell.execute(D .. "/apps/child.lua", "a", "b", "c", "d", "e"), true)
eq("an error: false", shell.run(D .. "/apps/fails"), false)
eq("does not compile: false", shell.run(D .. "/apps/bad"), false)
eq("no such program: false", shell.run("nope"), false)
eq("empty command: false", shell.run(""), false)
raises("execute argument", function() shell.execute(D .. "/apps/child", 1) end, "bad argument #2 to 'execute' (string expected, got number)")
eq("hashbang", shell.run(D .. "/apps/script.txt z"), true)

-- resolution
eq("resolve", shell.resolve("a/../b"), "b")
eq("resolve absolute", shell.resolve("/x/y"), "x/y")
eq("resolveProgram adds .lua", shell.resolveProgram(D .. "/apps/child"), D .. "/apps/child.lua")
returns("resolveProgram missing", { n = 1 }, shell.resolveProgram, "nothing.here")
shell.setDir(D)
eq("setDir", shell.dir(), D)
eq("resolve from dir", shell.resolve("apps"), D .. "/apps")
shell.setPath(".:apps")
eq("resolveProgram through the path", shell.resolveProgram("child"), D .. "/apps/child.lua")
eq("programs", list(shell.programs()), "bad,child,fails,interp,script.txt,setter")
eq("programs with hidden", list(shell.programs(true)), ".hidden,bad,child,fails,interp,script.txt,setter")
shell.setAlias("kid", "child")
eq("alias", shell.resolveProgram("kid"), D .. "/apps/child.lua")
eq("aliases", shell.aliases().kid, "child")
shell.clearAlias("kid")
eq("alias cleared", shell.aliases().kid, nil)
eq("completeProgram", list(shell.completeProgram("ch")), "ild")
eq("complete", list(shell.complete("inter")), "p")
shell.setDir("/")
raises("setDir not a dir", function() shell.setDir("nope") end, "Not a directory")
raises("setDir type", function() shell.setDir() end, "bad argument #1 to 'setDir' (string expected, got nil)")

-- os.run, os.loadAPI, os.unloadAPI
eq("os.run", os.run({}, D .. "/apps/interp.lua", "from", "os.run"), true)
eq("os.run an error", os.run({}, D .. "/apps/fails.lua"), false)
eq("os.run a missing file", os.run({}, D .. "/nope.lua"), false)
local env = {}
os.run(env, D .. "/apps/setter.lua")
eq("os.run's environment gets the globals", env.LEAKED, true)
raises("os.run env", function() os.run(nil, "x") end, "bad argument #1 to 'run' (table expected, got nil)")
eq("loadAPI", os.loadAPI(D .. "/api/myapi.lua"), true)
eq("API table", myapi.twice(4) .. " " .. myapi.VALUE, "8 7")
eq("API locals stay local", myapi.hidden, nil)
os.unloadAPI("myapi")
eq("unloadAPI", myapi, nil)
raises("loadAPI failing", function() os.loadAPI(D .. "/api/broken.lua") end, "Failed to load API broken due to no")
raises("loadAPI missing", function() os.loadAPI(D .. "/api/none") end, "Failed to load API none due to File not found")
os.unloadAPI("_G")
eq("_G is never unloaded", type(_G), "table")
end)
fs.delete(D)
if not ok then error(err, 0) end
print("ok")
