--[==[case
clauses = ["X8"]
summary = "makeDir (parents made), move, copy (trees; a file copied onto a directory goes into it), delete (recursive, missing is fine) with CraftOS-PC's error texts"
files = ["fs-assert.lib"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local D = "fs-tmp-make-move-copy"
fs.delete(D)
fs.makeDir(D .. "/a/b/c")
eq("makeDir parents", fs.isDir(D .. "/a/b/c"), true)
eq("makeDir again is fine", select("#", fs.makeDir(D .. "/a/b")), 0)
local h = fs.open(D .. "/a/f.txt", "w") h.write("file") h.close()
raises("makeDir over a file", function() fs.makeDir(D .. "/a/f.txt") end, "/" .. D .. "/a/f.txt: File exists")
raises("makeDir under a file", function() fs.makeDir(D .. "/a/f.txt/x") end, "/" .. D .. "/a/f.txt/x: Could not create directory")

-- copy
fs.copy(D .. "/a", D .. "/copy")
eq("copied tree", fs.isDir(D .. "/copy/b/c"), true)
eq("copied file", fs.open(D .. "/copy/f.txt", "r").readAll(), "file")
fs.copy(D .. "/a/f.txt", D .. "/new/dirs/g.txt")
eq("copy makes parents", fs.open(D .. "/new/dirs/g.txt", "r").readAll(), "file")
fs.copy(D .. "/a/f.txt", D .. "/new")
eq("file copied into a directory", fs.exists(D .. "/new/f.txt"), true)
raises("copy missing", function() fs.copy(D .. "/nope", D .. "/x") end, "/" .. D .. "/nope: No such file")
raises("copy onto a file", function() fs.copy(D .. "/a/f.txt", D .. "/new/f.txt") end, "/" .. D .. "/a/f.txt: File exists")
raises("copy into itself", function() fs.copy(D .. "/a", D .. "/a/b/inner") end, "/" .. D .. "/a: Can't copy a directory inside itself")
raises("copy onto itself", function() fs.copy(D .. "/a/f.txt", D .. "/a/f.txt") end, "/" .. D .. "/a/f.txt: Can't copy a directory inside itself")
raises("copy onto its parent", function() fs.copy(D .. "/a/f.txt", D .. "/a") end, "/" .. D .. "/a/f.txt: Can't copy a directory inside itself")
raises("copy to a file's child", function() fs.copy(D .. "/a/f.txt", D .. "/a/f.txt/x") end, "/" .. D .. "/a/f.txt/x: Invalid path")
eq("copy left no inner", fs.exists(D .. "/a/b/inner"), false)

-- move
fs.move(D .. "/copy", D .. "/moved/here")
eq("moved away", fs.exists(D .. "/copy"), false)
eq("moved to", fs.open(D .. "/moved/here/f.txt", "r").readAll(), "file")
fs.move(D .. "/moved/here/f.txt", D .. "/m.txt")
eq("moved a file", fs.exists(D .. "/m.txt"), true)
raises("move missing", function() fs.move(D .. "/nope", D .. "/x") end, "No such file")
raises("move onto existing", function() fs.move(D .. "/m.txt", D .. "/a/f.txt") end, "File exists")
raises("move into itself", function() fs.move(D .. "/a", D .. "/a/b/x") end, "Can't move a directory inside itself")
raises("move onto itself", function() fs.move(D .. "/a", D .. "/a") end, "Can't move a directory inside itself")
raises("move the root", function() fs.move("", D .. "/root") end, "Can't move a directory inside itself")
raises("move under a file", function() fs.move(D .. "/m.txt", D .. "/a/f.txt/x") end, "/" .. D .. "/a/f.txt/x: Invalid path")
eq("move left the source", fs.exists(D .. "/m.txt"), true)

-- delete
eq("delete returns nothing", select("#", fs.delete(D .. "/m.txt")), 0)
eq("deleted file", fs.exists(D .. "/m.txt"), false)
fs.delete(D .. "/nope/nothing")
fs.delete(D .. "/a")
eq("deleted tree", fs.exists(D .. "/a"), false)
raises("delete root", function() fs.delete("") end, "Cannot delete mount, use mounter.unmount instead")
raises("delete root spelled", function() fs.delete("x/..") end, "Cannot delete mount, use mounter.unmount instead")
eq("root still there", fs.exists("fs-make-move-copy-delete.lua"), true)
fs.delete(D)
eq("cleaned", fs.exists(D), false)
print("ok")
