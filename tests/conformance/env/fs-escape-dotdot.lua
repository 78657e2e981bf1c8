--[==[case
clauses = ["X8"]
summary = "[security] every way of climbing above the root with .. (leading, nested, /, \\, spaces, NUL, ...) is refused with CraftOS-PC's texts by every fs function, loadfile and dofile; nothing is read, created, moved or deleted (probes that would land back inside the root stay absent)"
files = ["fs-assert.lib"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
-- The root is this script's directory, tests/conformance/env. A path that
-- climbs out and comes back ("../env/x") would land inside the root again,
-- so its absence afterwards shows nothing was done through it.
local P = "fs-tmp-escape-probe"
fs.delete(P)
local victim = "fs-tmp-escape-victim.txt"
local h = fs.open(victim, "w") h.write("keep me") h.close()

local climbs = {
  -- path, how CraftOS-PC prints it after "/"
  { "..", ".." },
  { "/..", ".." },
  { "../", ".." },
  { "\\..", ".." },
  { "../" .. P, "../" .. P },
  { "../env/" .. P, "../env/" .. P },
  { "/../env/" .. P, "../env/" .. P },
  { "..\\env\\" .. P, "../env/" .. P },
  { "a/../../env/" .. P, "../env/" .. P },
  { "./../env/" .. P, "../env/" .. P },
  { " .. /env/" .. P, "../env/" .. P },
  { "..\0/env/" .. P, "../env/" .. P },
  { ".\0./env/" .. P, "../env/" .. P },
  { ".:.:/env/" .. P, "../env/" .. P },
  { "/../../conformance/env/" .. P, "conformance/env/" .. P },
  { "../../../../../../../etc/passwd", "../etc/passwd" },
  { "../../../../../../../../etc/passwd", "etc/passwd" },
  { "/../../etc/passwd", "etc/passwd" },
}
for _, c in ipairs(climbs) do
  local p, shown = c[1], c[2]
  local what = ("%q"):format(p)
  eq("exists " .. what, fs.exists(p), false)
  eq("isDir " .. what, fs.isDir(p), false)
  eq("getDrive " .. what, select("#", fs.getDrive(p)), 0)
  for _, mode in ipairs({ "r", "rb", "r+", "w", "wb", "a", "ab", "w+" }) do
    fails("open " .. mode .. " " .. what, "/" .. shown .. ": No such file", fs.open, p, mode)
  end
  raises("list " .. what, function() fs.list(p) end, "/" .. shown .. ": No such file")
  raises("getSize " .. what, function() fs.getSize(p) end, "/" .. shown .. ": No such file")
  raises("attributes " .. what, function() fs.attributes(p) end, "/" .. shown .. ": No such file")
  raises("makeDir " .. what, function() fs.makeDir(p) end, "/" .. shown .. ": Could not create directory")
  raises("isReadOnly " .. what, function() fs.isReadOnly(p) end, "/" .. shown .. ": Invalid path")
  raises("getFreeSpace " .. what, function() fs.getFreeSpace(p) end, "/" .. shown .. ": No such path")
  eq("delete " .. what, select("#", fs.delete(p)), 0)
  raises("move from " .. what, function() fs.move(p, P .. "-moved") end, "No such file")
  raises("move to " .. what, function() fs.move(victim, p) end, "/" .. shown .. ": Invalid path")
  raises("copy from " .. what, function() fs.copy(p, P .. "-copied") end, "/" .. shown .. ": No such file")
  raises("copy to " .. what, function() fs.copy(victim, p) end, "/" .. shown .. ": Invalid path")
  local f, e = loadfile(p)
  eq("loadfile " .. what, f, nil) eq("loadfile message " .. what, e, "File not found")
  raises("dofile " .. what, function() dofile(p) end, "File not found")
end
-- getCapacity prints the path as given; find normalises it first
raises("getCapacity", function() fs.getCapacity("../env") end, "../env: Invalid path")
raises("find ..", function() fs.find("..") end, "/..: Invalid Path")
raises("find ../*", function() fs.find("../*") end, "/../*: Invalid Path")
raises("find a/../../x", function() fs.find("a/../../x*") end, "/../x*: Invalid Path")
eq("find /.. is the root", fs.find("/..")[1], "")
-- deleting the root through a climb is no deletion either
fs.delete("../env")
fs.delete("/../env/" .. victim)
fs.delete("../env/fs-escape-dotdot.lua")
eq("this script survives", fs.exists("fs-escape-dotdot.lua"), true)
eq("victim survives", fs.open(victim, "r").readAll(), "keep me")
for _, n in ipairs({ P, P .. "-moved", P .. "-copied" }) do
  eq("nothing created: " .. n, fs.exists(n), false)
end
fs.delete(victim)
print("ok")
