--[==[case
clauses = ["X8", "X19"]
summary = "[fix] with 128 files open, open raises 'Too many files already open' before it touches anything: a file opened for w, w+, a or r+ keeps its contents, a new file and its parent directories are not created (CraftOS-PC truncates and creates first)"
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local D = "fs-tmp-open-limit"
fs.delete(D)
fs.makeDir(D)
local h = fs.open(D .. "/keep.txt", "w") h.write("precious") h.close()

local open = {}
for i = 1, 128 do open[i] = assert(fs.open(D .. "/keep.txt", "r")) end
for _, mode in ipairs({ "w", "wb", "w+", "w+b", "a", "ab", "a+", "r+", "r" }) do
  raises("keep.txt " .. mode, function() fs.open(D .. "/keep.txt", mode) end,
    "/" .. D .. "/keep.txt: Too many files already open")
  raises("new file " .. mode, function() fs.open(D .. "/new/dirs/f.txt", mode) end,
    "/" .. D .. "/new/dirs/f.txt: Too many files already open")
end
raises("missing file for reading", function() fs.open(D .. "/nope.txt", "r") end,
  "/" .. D .. "/nope.txt: Too many files already open")
for i = 1, 128 do open[i].close() end

eq("contents kept", fs.open(D .. "/keep.txt", "r").readAll(), "precious")
eq("no new file", fs.exists(D .. "/new/dirs/f.txt"), false)
eq("no parent made", fs.exists(D .. "/new"), false)
eq("listing", table.concat(fs.list(D), ","), "keep.txt")
-- below the limit again, open works as before
h = fs.open(D .. "/new/dirs/f.txt", "w") h.write("x") h.close()
eq("created now", fs.open(D .. "/new/dirs/f.txt", "r").readAll(), "x")
fs.delete(D)
print("ok")
