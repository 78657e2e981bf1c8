--[==[case
clauses = ["X8"]
summary = "[fix] fs.find with a pattern of more segments than any path can have (here 200000) answers {} at once instead of recursing once per segment (which overflowed the runner's stack); patterns of many wildcards that match nothing are quick too, and ordinary patterns still match"
timeout = 20
stdout = '''
ok
'''
]==]
local eq = dofile("fs-assert.lib")
local D = "fs-tmp-find-long"
fs.delete(D)
fs.makeDir(D .. "/a/a/a")
local h = fs.open(D .. "/a/a/a/f.txt", "w") h.close()

local t = os.epoch("utc")
eq("long literal pattern", #fs.find(("a/"):rep(200000) .. "*"), 0)
eq("long wildcard pattern", #fs.find(("*/"):rep(200000) .. "x"), 0)
eq("many wildcards, no match", #fs.find(D .. "/" .. ("*/"):rep(3000) .. "*"), 0)
eq("quick", os.epoch("utc") - t < 5000, true)

eq("still matches", table.concat(fs.find(D .. "/*/*/*/*.txt"), ","), D .. "/a/a/a/f.txt")
eq("deep literal", table.concat(fs.find(D .. "/a/a/a/f.???"), ","), D .. "/a/a/a/f.txt")
fs.delete(D)
print("ok")
