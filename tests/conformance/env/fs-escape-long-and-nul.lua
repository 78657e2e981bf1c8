--[==[case
clauses = ["X8"]
summary = "[security] very long names and paths, NUL and control bytes: names are cut at 255 bytes, paths too long for the host do not exist and create nothing, NUL and \" * : < > ? | and control bytes are dropped (so they cannot hide a ..); bytes 128-255 are kept"
files = ["fs-assert.lib", "fs-fixtures"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local D = "fs-tmp-long"
fs.delete(D)
-- a name longer than 255 bytes is cut to 255 (and the cut name is the same file)
local long = ("n"):rep(300)
local h = fs.open(D .. "/" .. long, "w") h.write("long") h.close()
eq("listed cut", table.concat(fs.list(D), ","), ("n"):rep(255))
eq("read by the long name", fs.open(D .. "/" .. long, "r").readAll(), "long")
eq("read by the cut name", fs.open(D .. "/" .. ("n"):rep(255), "r").readAll(), "long")
h = fs.open(D .. "/" .. ("s"):rep(250) .. (" "):rep(10) .. "tail", "w") h.close()
eq("spaces trimmed after the cut", fs.exists(D .. "/" .. ("s"):rep(250)), true)
fs.delete(D)
-- a huge name: missing, message shows the cut name
local huge = ("z"):rep(100000)
fails("huge name", "/" .. ("z"):rep(255) .. ": No such file", fs.open, huge, "r")
eq("huge exists", fs.exists(huge), false)
-- a long middle segment is not cut: the host refuses it, nothing is created
local mid = "fs-tmp-longmid/" .. ("m"):rep(300) .. "/x"
fails("long middle segment", "/" .. mid .. ": No such file", fs.open, mid, "w")
raises("makeDir long middle", function() fs.makeDir(mid) end, "/" .. mid .. ": Could not create directory")
eq("long middle created nothing", fs.exists("fs-tmp-longmid"), false)
-- a path too long for the host: no such file, and no directory is made on the way
local deep = "fs-tmp-deep/" .. ("d/"):rep(3000) .. "x"
fails("deep write", "/" .. deep .. ": No such file", fs.open, deep, "w")
fails("deep read", "/" .. deep .. ": No such file", fs.open, deep, "r")
raises("deep makeDir", function() fs.makeDir(deep) end, "/" .. deep .. ": Could not create directory")
raises("deep copy", function() fs.copy("fs-fixtures/data.txt", deep) end, "/" .. deep .. ": Invalid path")
eq("deep exists", fs.exists(deep), false)
eq("deep created nothing", fs.exists("fs-tmp-deep"), false)
-- a long climb is still a climb
local climb = ("../"):rep(5000) .. "etc/passwd"
eq("long climb", fs.exists(climb), false)
eq("long climb open", fs.open(climb, "r"), nil)

-- NUL and the other dropped bytes
h = fs.open("fs-tmp-nul\0-test.txt", "w") h.write("nul") h.close()
eq("NUL dropped", fs.open("fs-tmp-nul-test.txt", "r").readAll(), "nul")
eq("NUL dropped in exists", fs.exists("fs-tmp-\0nul-test.txt\0"), true)
fs.delete("fs-tmp-nul-test.txt\0")
eq("deleted through NUL", fs.exists("fs-tmp-nul-test.txt"), false)
eq("NUL alone is the root", fs.isDir("\0"), true)
fails("NUL root write", "/: Cannot write to directory", fs.open, "\0", "w")
h = fs.open('fs-tmp-ch"a*r?s:<|>\1\27\31.txt', "w") h.write("c") h.close()
eq("bad characters dropped", fs.open("fs-tmp-chars.txt", "r").readAll(), "c")
fs.delete("fs-tmp-chars.txt")
fails("NUL cannot hide a climb", "/../env/fs-tmp-nul-escape: No such file", fs.open, ".\0./env/fs-tmp-nul-escape", "w")
fails("control bytes cannot hide a climb", "/../env/fs-tmp-nul-escape: No such file", fs.open, ".\n.\t/env/fs-tmp-nul-escape", "w")
eq("no escape file", fs.exists("fs-tmp-nul-escape"), false)
-- bytes 128-255 are kept [fix]
h = fs.open("fs-tmp-caf\195\169.txt", "w") h.write("utf8") h.close()
local listed = false
for _, n in ipairs(fs.list("")) do if n == "fs-tmp-caf\195\169.txt" then listed = true end end
eq("high bytes kept", listed, true)
eq("not the ASCII name", fs.exists("fs-tmp-caf.txt"), false)
fs.delete("fs-tmp-caf\195\169.txt")
print("ok")
