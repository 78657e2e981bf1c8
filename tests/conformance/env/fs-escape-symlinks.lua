--[==[case
clauses = ["X8"]
summary = "[security] a symlink in the root that leads outside (to /etc, /etc/passwd, ../.., or nowhere) is a file that does not exist for every fs function, is not listed, and nothing is read, written, created or deleted through it, even where it would lead back inside; links that stay inside work"
files = ["fs-assert.lib", "fs-fixtures"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
-- fs-fixtures/ (checked in): data.txt, sub/inner.txt, and the links
--   outside-link -> /etc             outside-file -> /etc/passwd
--   climb-link -> ../.. (the root's parent, outside the root)
--   dangling-link -> no-such-target  inside-link -> data.txt   inside-dir-link -> sub
local F = "fs-fixtures/"
eq("fixture present", fs.open(F .. "data.txt", "r").readAll(), "fixture data\n")

local outside = {
  F .. "outside-link", F .. "outside-link/passwd", F .. "outside-link/.",
  F .. "outside-file", F .. "climb-link", F .. "climb-link/env",
  F .. "climb-link/env/fs-fixtures/data.txt", F .. "dangling-link",
  F .. "inside-dir-link/../outside-link/hostname",
}
for _, p in ipairs(outside) do
  local shown = fs.combine(p)
  eq("exists " .. p, fs.exists(p), false)
  eq("isDir " .. p, fs.isDir(p), false)
  eq("getDrive " .. p, select("#", fs.getDrive(p)), 0)
  fails("open r " .. p, "/" .. shown .. ": No such file", fs.open, p, "r")
  fails("open rb " .. p, "/" .. shown .. ": No such file", fs.open, p, "rb")
  raises("list " .. p, function() fs.list(p) end, "/" .. shown .. ": No such file")
  raises("getSize " .. p, function() fs.getSize(p) end, "/" .. shown .. ": No such file")
  raises("attributes " .. p, function() fs.attributes(p) end, "/" .. shown .. ": No such file")
  raises("copy from " .. p, function() fs.copy(p, "fs-tmp-symlink-copy") end, "/" .. shown .. ": No such file")
  raises("move from " .. p, function() fs.move(p, "fs-tmp-symlink-moved") end, "No such file")
  eq("loadfile " .. p, select(2, loadfile(p)), "File not found")
  eq("find " .. p, #fs.find(p), 0)
  eq("find " .. p .. "/*", #fs.find(p .. "/*"), 0)
end
eq("nothing copied", fs.exists("fs-tmp-symlink-copy"), false)
eq("nothing moved", fs.exists("fs-tmp-symlink-moved"), false)

-- listing hides the links that lead out
eq("list", table.concat(fs.list("fs-fixtures"), ","), "data.txt,inside-dir-link,inside-link,sub")
eq("find", table.concat(fs.find("fs-fixtures/*"), ","),
  "fs-fixtures/data.txt,fs-fixtures/inside-dir-link,fs-fixtures/inside-link,fs-fixtures/sub")

-- links inside the root work
eq("inside-link", fs.open(F .. "inside-link", "r").readAll(), "fixture data\n")
eq("inside-dir-link", fs.open(F .. "inside-dir-link/inner.txt", "r").readAll(), "inner\n")
eq("inside-dir-link lists", table.concat(fs.list(F .. "inside-dir-link"), ","), "inner.txt")
eq("inside-dir-link isDir", fs.isDir(F .. "inside-dir-link"), true)
eq("inside-link size", fs.getSize(F .. "inside-link"), 13)

-- writing through a link that leads out: refused, even where it would land
-- back inside (climb-link/env is this very directory)
local back = F .. "climb-link/env/"
for _, mode in ipairs({ "w", "a", "wb", "ab", "r+", "w+" }) do
  fails("open " .. mode .. " through climb-link", "/" .. back .. "fs-tmp-symlink-escape.txt: No such file",
    fs.open, back .. "fs-tmp-symlink-escape.txt", mode)
  fails("open " .. mode .. " fixture through climb-link", "/" .. back .. "fs-fixtures/data.txt: No such file",
    fs.open, back .. "fs-fixtures/data.txt", mode)
end
fails("append to a link out", "/" .. F .. "outside-file: No such file", fs.open, F .. "outside-file", "a")
fails("write under a link out", "/" .. F .. "outside-link/fs-tmp-x: No such file", fs.open, F .. "outside-link/fs-tmp-x", "w")
fails("write to a dangling link", "/" .. F .. "dangling-link: No such file", fs.open, F .. "dangling-link", "w")
eq("no escape file", fs.exists("fs-tmp-symlink-escape.txt"), false)
eq("no target made for the dangling link", fs.exists(F .. "no-such-target"), false)
eq("fixture unchanged", fs.open(F .. "data.txt", "r").readAll(), "fixture data\n")
raises("makeDir through climb-link", function() fs.makeDir(back .. "fs-tmp-symlink-dir") end,
  "/" .. back .. "fs-tmp-symlink-dir: Could not create directory")
eq("no dir made", fs.exists("fs-tmp-symlink-dir"), false)
raises("copy into climb-link", function() fs.copy(F .. "data.txt", back .. "fs-tmp-symlink-copy2") end,
  "/" .. back .. "fs-tmp-symlink-copy2: Invalid path")
eq("nothing copied back in", fs.exists("fs-tmp-symlink-copy2"), false)

-- deleting or moving through a link that leads out touches nothing
local victim = "fs-tmp-symlink-victim.txt"
local h = fs.open(victim, "w") h.write("keep me") h.close()
fs.delete(back .. victim)
raises("move through climb-link", function() fs.move(back .. victim, "fs-tmp-symlink-moved2") end, "No such file")
raises("move into climb-link", function() fs.move(victim, back .. "fs-tmp-symlink-moved3") end,
  "/" .. back .. "fs-tmp-symlink-moved3: Invalid path")
eq("victim survives", fs.open(victim, "r").readAll(), "keep me")
fs.delete(victim)
fs.delete(F .. "outside-link")
fs.delete(F .. "outside-file")

-- copying a tree follows the links that stay inside and skips the others
fs.delete("fs-tmp-symlink-tree")
fs.copy("fs-fixtures", "fs-tmp-symlink-tree")
eq("tree", table.concat(fs.list("fs-tmp-symlink-tree"), ","), "data.txt,inside-dir-link,inside-link,sub")
eq("tree link copied as file", fs.open("fs-tmp-symlink-tree/inside-link", "r").readAll(), "fixture data\n")
eq("tree dir link copied as dir", fs.open("fs-tmp-symlink-tree/inside-dir-link/inner.txt", "r").readAll(), "inner\n")
fs.delete("fs-tmp-symlink-tree")
eq("fixture still intact", table.concat(fs.list("fs-fixtures"), ","), "data.txt,inside-dir-link,inside-link,sub")
print("ok")
