--[==[case
clauses = ["X8"]
summary = "list (sorted bytewise, .DS_Store/desktop.ini hidden), exists, isDir, getSize, attributes, getDrive (nothing when missing), isDriveRoot, isReadOnly, getFreeSpace, getCapacity, find with * and ?"
files = ["fs-assert.lib"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local D = "fs-tmp-list"
fs.delete(D)
for _, n in ipairs({ "b", "a", "C", "_x", "10", "9", ".hidden", ".DS_Store", "desktop.ini", "sub/deep.txt", "sub2/x.md" }) do
  local h = fs.open(D .. "/" .. n, "w") h.write(n) h.close()
end
eq("list sorted", table.concat(fs.list(D), ","), ".hidden,10,9,C,_x,a,b,sub,sub2")
eq("list trailing slash", table.concat(fs.list(D .. "/"), ","), ".hidden,10,9,C,_x,a,b,sub,sub2")
eq("list empty dir", #fs.list(D .. "/sub/../sub2/.."), 9)
local root = fs.list("")
local seen = false
for _, n in ipairs(root) do if n == D then seen = true end end
eq("root lists the temp dir", seen, true)
raises("list missing", function() fs.list(D .. "/nope") end, "/" .. D .. "/nope: No such file")
raises("list file", function() fs.list(D .. "/a") end, "/" .. D .. "/a: Not a directory")
eq("exists root", fs.exists(""), true)
eq("isDir root", fs.isDir("/"), true)
eq("exists file", fs.exists(D .. "/a"), true)
eq("exists missing", fs.exists(D .. "/zz"), false)
eq("isDir file", fs.isDir(D .. "/a"), false)
eq("isDir missing", fs.isDir(D .. "/zz"), false)
eq("getSize file", fs.getSize(D .. "/sub/deep.txt"), 12)
eq("getSize dir", fs.getSize(D .. "/sub"), 0)
raises("getSize missing", function() fs.getSize(D .. "/zz") end, "/" .. D .. "/zz: No such file")
local a = fs.attributes(D .. "/sub/deep.txt")
eq("attributes size", a.size, 12)
eq("attributes isDir", a.isDir, false)
eq("attributes isReadOnly", a.isReadOnly, false)
eq("attributes modified", type(a.modified), "number")
eq("attributes modification", a.modification, a.modified)
eq("attributes created", type(a.created), "number")
local now = os.epoch("utc")
if math.abs(a.modified - now) > 600000 then error("modified is not ms since the epoch: " .. a.modified .. " vs " .. now) end
local ad = fs.attributes(D .. "/sub")
eq("dir attributes size", ad.size, 0)
eq("dir attributes isDir", ad.isDir, true)
raises("attributes missing", function() fs.attributes(D .. "/zz") end, "/" .. D .. "/zz: No such file")
eq("getDrive", fs.getDrive(D .. "/a"), "hdd")
eq("getDrive root", fs.getDrive(""), "hdd")
eq("getDrive missing returns nothing", select("#", fs.getDrive(D .. "/zz")), 0)
eq("isDriveRoot root", fs.isDriveRoot(""), true)
eq("isDriveRoot file", fs.isDriveRoot(D .. "/a"), false)
eq("isDriveRoot missing", fs.isDriveRoot(D .. "/zz"), false)
eq("isReadOnly", fs.isReadOnly(D .. "/a"), false)
eq("isReadOnly missing", fs.isReadOnly(D .. "/zz/yy"), false)
eq("isReadOnly root", fs.isReadOnly(""), false)
local free, cap = fs.getFreeSpace(D), fs.getCapacity(D)
eq("free space", type(free), "number")
eq("capacity", type(cap), "number")
if free < 0 or cap < free then error("free " .. free .. " capacity " .. cap) end
eq("free space of a missing path", type(fs.getFreeSpace(D .. "/zz/yy")), "number")
-- find
local function found(p) return table.concat(fs.find(p), ",") end
eq("find *", found(D .. "/*"), D .. "/.hidden," .. D .. "/10," .. D .. "/9," .. D .. "/C," .. D .. "/_x," .. D .. "/a," .. D .. "/b," .. D .. "/sub," .. D .. "/sub2")
eq("find ?", found(D .. "/?"), D .. "/9," .. D .. "/C," .. D .. "/a," .. D .. "/b")
eq("find nested", found(D .. "/s*/*.*"), D .. "/sub/deep.txt," .. D .. "/sub2/x.md")
eq("find exact", found(D .. "/sub/deep.txt"), D .. "/sub/deep.txt")
eq("find normalises", found("/" .. D .. "/./sub/../a"), D .. "/a")
eq("find missing", found(D .. "/nope"), "")
eq("find pattern chars literal", found(D .. "/%a"), "")
eq("find no match", found(D .. "/*.none"), "")
eq("find under a file", found(D .. "/a/*"), "")
fs.delete(D)
print("ok")
