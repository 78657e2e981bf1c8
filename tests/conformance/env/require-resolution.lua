--[==[case
clauses = ["X12", "G2"]
summary = "require/package as CC: Tweaked's cc.require: through fs only (a host file outside the root is never found), ?, ?.lua, ?/init.lua relative to the program then /rom/modules/main, dots as folders, preload, loaded cache, (name, path) arguments, 'module not found:' listing every place tried, 'loop or previous error loading module'"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises, raises_bare, write = A.eq, A.returns, A.raises, A.raises_bare, A.write
local D = "fs-tmp-require"
fs.delete(D)
-- the modules are .lua files under tests/conformance: never leave them behind
local ok, err = pcall(function()
write(D .. "/plain.lua", "return { name = ..., path = select(2, ...) }")
write(D .. "/pkg/init.lua", "return 'init of ' .. ...")
write(D .. "/pkg/sub.lua", "return 'sub'")
write(D .. "/nothing.lua", "local x = 1")
write(D .. "/noext", "return 'no extension'")
write(D .. "/bad.lua", "return +")
write(D .. "/fails.lua", "error('boom', 0)")
write(D .. "/loop.lua", "return require('" .. D .. ".loop')")
write(D .. "/counter.lua", "COUNT = (COUNT or 0) + 1 return COUNT")

local m = require(D .. ".plain")
eq("?.lua, dots as folders", m.name, D .. ".plain")
eq("the path it was found at", m.path, D .. "/plain.lua")
eq("cached", require(D .. ".plain"), m)
eq("in package.loaded", package.loaded[D .. ".plain"], m)
eq("?/init.lua", require(D .. ".pkg"), "init of " .. D .. ".pkg")
eq("a module in a package", require(D .. ".pkg.sub"), "sub")
eq("nothing returned is true", require(D .. ".nothing"), true)
eq("? alone", require(D .. "/noext"), "no extension")
eq("absolute name", require("/" .. D .. "/plain"), require("/" .. D .. "/plain"))
eq("loaded once", require(D .. ".counter") + require(D .. ".counter"), 2)
eq("a ROM module", type(require("cc.strings").wrap), "function")
package.preload["virtual.mod"] = function(name) return "preloaded " .. name end
eq("preload first", require("virtual.mod"), "preloaded virtual.mod")
package.loaded["given"] = 42
eq("package.loaded is looked at first", require("given"), 42)
eq("standard libraries", package.loaded.string, string)
eq("_G", package.loaded._G, _G)
eq("package", package.loaded.package, package)
eq("config", package.config, "/\n;\n?\n!\n-")
eq("searchpath", package.searchpath(D .. ".pkg.sub", package.path), D .. "/pkg/sub.lua")
returns("searchpath fails", { n = 2, nil, "no file 'x/y'\n  no file 'x/y.txt'" }, package.searchpath, "x.y", "?;?.txt")
eq("searchpath separators", package.searchpath(D .. ":pkg:sub", "?.lua", ":", "/"), D .. "/pkg/sub.lua")

raises("not found", function() require("no.such.mod") end, "module 'no.such.mod' not found:\n" ..
  "  no field package.preload['no.such.mod']\n" ..
  "  no file 'no/such/mod'\n" ..
  "  no file 'no/such/mod.lua'\n" ..
  "  no file 'no/such/mod/init.lua'\n" ..
  "  no file '/rom/modules/main/no/such/mod'\n" ..
  "  no file '/rom/modules/main/no/such/mod.lua'\n" ..
  "  no file '/rom/modules/main/no/such/mod/init.lua'")
-- ../README.md is a file on the host (tests/conformance/README.md), outside the root
local saved_path = package.path
package.path = "../?.md;/../?.md"
local ok, err = pcall(require, "README")
package.path = saved_path
eq("a host file outside the root is never found", err, "module 'README' not found:\n" ..
  "  no field package.preload['README']\n  no file '../README.md'\n  no file '/../README.md'")
ok, err = pcall(require, D .. ".bad")
eq("a syntax error", ok, false)
if not (err:find("not found:", 1, true) and err:find(D .. "/bad.lua:1:", 1, true)) then error("syntax error message: " .. err) end
returns("a module that fails", { n = 2, false, "boom" }, pcall, require, D .. ".fails")
raises_bare("then: loop or previous error (no position, as CC)", function() require(D .. ".fails") end, "loop or previous error loading module '" .. D .. ".fails'")
ok, err = pcall(require, D .. ".loop")
eq("a loop", err, "loop or previous error loading module '" .. D .. ".loop'")
raises("name type", function() require(1) end, "bad argument #1 to 'require' (string expected, got number)")

-- package.path from the setting, read when the program's package is made
eq("path", package.path, settings.get("shell.package_path"))
package.path = D .. "/pkg/?.lua"
eq("package.path is used", require("sub"), "sub")
package.path = saved_path

-- cc.require.make: a require of one's own, relative to any directory
local env = setmetatable({}, { __index = _G })
local r2, p2 = require("cc.require").make(env, D .. "/pkg")
eq("relative to its directory", r2("sub"), "sub")
eq("its own package", p2 ~= package and p2.loaded.sub, "sub")
end)
fs.delete(D)
if not ok then error(err, 0) end
print("ok")
