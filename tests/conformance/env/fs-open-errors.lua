--[==[case
clauses = ["X8", "G2", "G3"]
summary = "open's failures return nil and CraftOS-PC's message (No such file, Not a file, Cannot write to directory); a bad mode, wrong argument types and misuse of handles raise CraftOS-PC's texts at the caller's position"
files = ["fs-assert.lib"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local D = "fs-tmp-open-errors"
fs.delete(D)
fs.makeDir(D .. "/dir")
local h = fs.open(D .. "/file.txt", "w") h.write("abc") h.close()

fails("missing file", "/" .. D .. "/nope.txt: No such file", fs.open, D .. "/nope.txt", "r")
fails("missing rb", "/" .. D .. "/nope.txt: No such file", fs.open, D .. "/nope.txt", "rb")
fails("missing r+", "/" .. D .. "/nope.txt: No such file", fs.open, D .. "/nope.txt", "r+")
fails("message path normalised", "/" .. D .. "/nope.txt: No such file", fs.open, "\\" .. D .. "//./x/../nope.txt/", "r")
fails("directory for reading", "/" .. D .. "/dir: Not a file", fs.open, D .. "/dir", "r")
fails("directory for rb", "/" .. D .. "/dir: Not a file", fs.open, D .. "/dir", "rb")
fails("directory for writing", "/" .. D .. "/dir: Cannot write to directory", fs.open, D .. "/dir", "w")
fails("directory for appending", "/" .. D .. "/dir: Cannot write to directory", fs.open, D .. "/dir", "ab")
fails("root for reading", "/: Not a file", fs.open, "", "r")
fails("root for writing", "/: Cannot write to directory", fs.open, "/", "w")
fails("under a file", "/" .. D .. "/file.txt/x: No such file", fs.open, D .. "/file.txt/x", "w")
eq("nothing created under the file", fs.isDir(D .. "/file.txt"), false)

raises("mode x", function() fs.open(D .. "/file.txt", "x") end, "x: Unsupported mode")
raises("mode rw", function() fs.open(D .. "/file.txt", "rw") end, "rw: Unsupported mode")
raises("mode rb+", function() fs.open(D .. "/file.txt", "rb+") end, "rb+: Unsupported mode")
raises("mode empty", function() fs.open(D .. "/file.txt", "") end, ": Unsupported mode")
raises("mode checked first", function() fs.open(nil, "q") end, "q: Unsupported mode")
raises("no mode", function() fs.open(D .. "/file.txt") end, "bad argument #2 to 'open' (string expected, got no value)")
raises("nil mode", function() fs.open(D .. "/file.txt", nil) end, "bad argument #2 to 'open' (string expected, got nil)")
raises("nil path", function() fs.open(nil, "r") end, "bad argument #1 to 'open' (string expected, got nil)")
raises("table path", function() fs.open({}, "r") end, "bad argument #1 to 'open' (string expected, got table)")
raises("exists nil", function() fs.exists(nil) end, "bad argument #1 to 'exists' (string expected, got nil)")
raises("isDir none", function() fs.isDir() end, "bad argument #1 to 'isDir' (string expected, got no value)")
raises("list boolean", function() fs.list(true) end, "bad argument #1 to 'list' (string expected, got boolean)")
raises("combine 2", function() fs.combine("a", {}) end, "bad argument #2 to 'combine' (string expected, got table)")
raises("copy 2", function() fs.copy("a") end, "bad argument #2 to 'copy' (string expected, got no value)")
raises("move 1", function() fs.move(nil, "b") end, "bad argument #1 to 'move' (string expected, got nil)")
raises("delete", function() fs.delete(print) end, "bad argument #1 to 'delete' (string expected, got function)")
raises("makeDir", function() fs.makeDir() end, "bad argument #1 to 'makeDir' (string expected, got no value)")
raises("getSize", function() fs.getSize(nil) end, "bad argument #1 to 'getSize' (string expected, got nil)")
raises("getName", function() fs.getName(nil) end, "bad argument #1 to 'getName' (string expected, got nil)")
raises("getDir", function() fs.getDir(nil) end, "bad argument #1 to 'getDir' (string expected, got nil)")
raises("find", function() fs.find(nil) end, "bad argument #1 to 'find' (string expected, got nil)")
raises("attributes", function() fs.attributes(nil) end, "bad argument #1 to 'attributes' (string expected, got nil)")
raises("isDriveRoot", function() fs.isDriveRoot(nil) end, "bad argument #1 to 'isDriveRoot' (string expected, got nil)")
-- numbers are accepted where strings are, as lua_tostring converts them
eq("number path", fs.exists(12345), false)

h = fs.open(D .. "/file.txt", "r")
raises("read negative", function() h.read(-1) end, "Cannot read a negative number of characters")
fails("seek set negative", "Position is negative", h.seek, "set", -1)
fails("seek before the start", "Invalid argument", h.seek, "cur", -10)
raises("seek bad whence", function() h.seek("middle") end, "bad argument #1 to 'seek' (invalid option 'middle')")
raises("seek whence type", function() h.seek({}) end, "bad argument #1 to 'seek' (string expected, got table)")
raises("seek offset type", function() h.seek("set", "x") end, "bad argument #2 to 'seek' (number expected, got string)")
eq("seek offset numeric string", h.seek("set", "2"), 2)
h.close()
h = fs.open(D .. "/file.txt", "rb")
raises("read negative bytes", function() h.read(-2) end, "Cannot read a negative number of bytes")
h.close()
h = fs.open(D .. "/file.txt", "a")
raises("write table", function() h.write({}) end, "bad argument #1 to 'write' (string expected, got table)")
raises("write boolean", function() h.write(true) end, "bad argument #1 to 'write' (string expected, got boolean)")
raises("writeLine table", function() h.writeLine({}) end, "bad argument #1 to 'writeLine' (string expected, got table)")
h.close()
h = fs.open(D .. "/file.txt", "ab")
raises("binary write nil", function() h.write(nil) end, "bad argument #1 to 'write' (number or string expected, got nil)")
raises("binary write table", function() h.write({}) end, "bad argument #1 to 'write' (number or string expected, got table)")
h.close()
raises("closed", function() h.write(1) end, "attempt to use a closed file")
h = fs.open(D .. "/file.txt", "r") eq("file unchanged", h.readAll(), "abc") h.close()

-- at most 128 files open at once, as CraftOS-PC
local open = {}
for i = 1, 128 do open[i] = assert(fs.open(D .. "/file.txt", "r")) end
raises("too many", function() fs.open(D .. "/file.txt", "r") end, "/" .. D .. "/file.txt: Too many files already open")
open[1].close()
fs.open(D .. "/file.txt", "r").close()
for i = 2, 128 do open[i].close() end
fs.delete(D)
print("ok")
