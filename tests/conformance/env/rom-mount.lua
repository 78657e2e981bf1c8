--[==[case
clauses = ["X12", "X8", "G2"]
summary = "/rom is a read-only drive in fs, as CraftOS-PC's: listed in /, isReadOnly, drive 'rom', writes refused with '/rom/x: Access denied' (move: 'Access denied'), reads and seeks like any file, copy out of it, find and complete see it, loadfile/dofile read it"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises, list = A.eq, A.returns, A.raises, A.list

local root = fs.list("/")
local at
for i, n in ipairs(root) do if n == "rom" then at = i end end
if not at then error("rom is not listed in /: " .. list(root)) end
if at > 1 and root[at - 1] >= "rom" or root[at + 1] and root[at + 1] <= "rom" then error("rom out of order: " .. list(root)) end
eq("exists", fs.exists("rom"), true)
eq("isDir", fs.isDir("/rom/"), true)
eq("isReadOnly", fs.isReadOnly("rom"), true)
eq("isReadOnly inside", fs.isReadOnly("rom/modules/main/cc/expect.lua"), true)
eq("isReadOnly of a missing file inside", fs.isReadOnly("rom/nothing"), true)
eq("the root is writable", fs.isReadOnly("/"), false)
eq("drive", fs.getDrive("rom/modules"), "rom")
returns("drive of a missing file", { n = 0 }, fs.getDrive, "rom/nothing")
eq("isDriveRoot", fs.isDriveRoot("rom"), true)
eq("isDriveRoot inside", fs.isDriveRoot("rom/modules"), false)
eq("free space", fs.getFreeSpace("rom"), 0)
returns("capacity", { n = 1 }, fs.getCapacity, "rom")
eq("list", list(fs.list("rom")), "modules")
eq("list modules", list(fs.list("rom/modules/main/cc")), "completion.lua,expect.lua,pretty.lua,require.lua,strings.lua")
raises("list a file", function() fs.list("rom/modules/main/cc/expect.lua") end, "/rom/modules/main/cc/expect.lua: Not a directory")
raises("list missing", function() fs.list("rom/nope") end, "/rom/nope: No such file")
eq("getSize dir", fs.getSize("rom/modules"), 0)
local size = fs.getSize("rom/modules/main/cc/expect.lua")
if size < 100 then error("expect.lua is too small: " .. size) end
raises("getSize missing", function() fs.getSize("rom/x") end, "/rom/x: No such file")
local a = fs.attributes("rom/modules/main/cc/strings.lua")
eq("attributes", a.isReadOnly and not a.isDir and a.modified == 0 and a.created == 0 and a.modification == 0, true)
eq("attributes size", a.size, fs.getSize("rom/modules/main/cc/strings.lua"))
raises("attributes missing", function() fs.attributes("rom/x") end, "/rom/x: No such file")

-- writes are refused
returns("open w", { n = 2, nil, "/rom/x: Access denied" }, fs.open, "rom/x", "w")
returns("open a existing", { n = 2, nil, "/rom/modules/main/cc/expect.lua: Access denied" }, fs.open, "/rom//modules/main/cc/expect.lua", "a")
returns("open wb", { n = 2, nil, "/rom/modules/x: Access denied" }, fs.open, "rom/modules/x", "wb")
returns("open r+", { n = 2, nil, "/rom/modules/main/cc/expect.lua: Access denied" }, fs.open, "rom/modules/main/cc/expect.lua", "r+")
returns("open a dir for writing", { n = 2, nil, "/rom: Cannot write to directory" }, fs.open, "rom", "w")
returns("open a dir for reading", { n = 2, nil, "/rom/modules: Not a file" }, fs.open, "rom/modules", "r")
returns("open missing", { n = 2, nil, "/rom/nope.lua: No such file" }, fs.open, "rom/nope.lua", "r")
raises("bad mode", function() fs.open("rom/x", "rw") end, "rw: Unsupported mode")
raises("makeDir", function() fs.makeDir("rom/new") end, "/rom/new: Access denied")
raises("delete", function() fs.delete("rom/modules/main/cc/expect.lua") end, "/rom/modules/main/cc/expect.lua: Access denied")
raises("delete the mount", function() fs.delete("rom") end, "/rom: Access denied")
raises("move out", function() fs.move("rom/modules", "fs-tmp-rom-moved") end, "Access denied")
raises("move in", function() fs.move("cc-assert.lib", "rom/x") end, "Access denied")
raises("copy in", function() fs.copy("cc-assert.lib", "rom/x") end, "/rom/x: Access denied")
eq("nothing was moved", fs.exists("cc-assert.lib"), true)
raises("path type still checked", function() fs.exists() end, "bad argument #1 to 'exists' (string expected, got no value)")

-- reading
local h = fs.open("rom/modules/main/cc/strings.lua", "r")
local first = h.readLine()
eq("readLine", first:sub(1, 2), "--")
eq("seek after a line", h.seek(), #first + 1)
local rest = h.readAll()
eq("readAll", #first + 1 + #rest, size ~= nil and fs.getSize("rom/modules/main/cc/strings.lua"))
returns("read at the end", { n = 1 }, h.read)
returns("readLine at the end", { n = 1 }, h.readLine)
eq("seek set", h.seek("set", 1), 1)
eq("read(n)", h.read(2), "- ")
eq("colon call", h:seek("cur", -1), 2)
returns("seek negative", { n = 2, nil, "Position is negative" }, h.seek, "set", -1)
raises("read negative", function() h.read(-1) end, "Cannot read a negative number of characters")
h.close()
raises("closed", function() h.read() end, "attempt to use a closed file")
eq("no write on a read handle", h.write, nil)
h = fs.open("rom/modules/main/cc/strings.lua", "rb")
eq("binary read", h.read(), 45)
eq("binary read(n)", h.read(2), "- ")
h.close()

-- copy out of the ROM
local D = "fs-tmp-rom"
fs.delete(D)
fs.copy("rom/modules/main/cc/expect.lua", D .. "/expect.lua")
eq("copied file", fs.getSize(D .. "/expect.lua"), fs.getSize("rom/modules/main/cc/expect.lua"))
eq("copy is writable", fs.isReadOnly(D .. "/expect.lua"), false)
raises("copy onto a file", function() fs.copy("rom/modules/main/cc/expect.lua", D .. "/expect.lua") end, "/rom/modules/main/cc/expect.lua: File exists")
fs.copy("rom/modules", D .. "/tree")
eq("copied tree", list(fs.list(D .. "/tree/main/cc")), list(fs.list("rom/modules/main/cc")))
raises("copy missing", function() fs.copy("rom/x", D .. "/y") end, "/rom/x: No such file")
fs.delete(D)

-- find and complete see the mount
eq("find rom", list(fs.find("rom")), "rom")
eq("find inside", list(fs.find("rom/*/*/cc/s*.lua")), "rom/modules/main/cc/strings.lua")
eq("find ?", list(fs.find("r?m/modules")), "rom/modules")
local star = fs.find("*")
local seen = false
for _, p in ipairs(star) do if p == "rom" then seen = true end end
eq("find * has rom", seen, true)
eq("find * has the cases", #star > 50, true)
eq("complete rom/mo", list(fs.complete("rom/mo", "")), "dules/,dules")
eq("complete inside", list(fs.complete("rom/modules/main/cc/p", "")), "retty.lua")

-- loadfile / dofile read the ROM
local f, err = loadfile("rom/modules/main/cc/strings.lua")
eq("loadfile", type(f), "function")
returns("loadfile missing", { n = 2, nil, "File not found" }, loadfile, "rom/nope.lua")
returns("loadfile dir", { n = 2, nil, "File not found" }, loadfile, "rom/modules")
local expect = dofile("rom/modules/main/cc/expect.lua")
eq("dofile", type(expect.expect), "function")
raises("dofile missing", function() dofile("/rom/nope.lua") end, "File not found")
print("ok")
