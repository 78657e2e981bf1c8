--[==[case
clauses = ["X8"]
summary = "combine, getName, getDir as CraftOS-PC's normalizePath (., .., ... , leading .., wildcards kept, bad characters dropped); / and \\ both separate; opening accepts the same odd spellings"
files = ["fs-assert.lib"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local combine = {
  { { "a", "b" }, "a/b" },
  { { "a/", "/b/" }, "a/b" },
  { { "/a/", "../b" }, "b" },
  { { "a", "b", "c", "d" }, "a/b/c/d" },
  { { "a", "", "b" }, "a/b" },
  { { "", "" }, "" },
  { { "" }, "" },
  { { "/" }, "" },
  { { "a/./b/.../c" }, "a/b/c" },
  { { "a", "../../.." }, "../.." },
  { { ".." }, ".." },
  { { "/.." }, "" },
  { { "", ".." }, ".." },
  { { "/", ".." }, "" },
  { { "../a", "..", ".." }, "../.." },
  { { "a\\b", "c\\d" }, "a/b/c/d" },
  { { "a*", "b?" }, "a*/b?" },
  { { "a:b", "<c>|\"d\"" }, "ab/cd" },
  { { " a ", " b" }, " a / b" },
  { { "a\0b\tc" }, "abc" },
  { { "rom", "programs/../apis" }, "rom/apis" },
}
for _, c in ipairs(combine) do
  eq("combine(" .. table.concat(c[1], ", ") .. ")", fs.combine(table.unpack(c[1])), c[2])
end
eq("combine numbers", fs.combine(1, 2.5), "1/2.5")
local names = {
  { "", "root" }, { "/", "root" }, { "a", "a" }, { "a/b/", "b" }, { "a\\b.lua", "b.lua" },
  { "..", ".." }, { "a/..", "root" }, { "a/*", "*" }, { " x ", " x " },
}
for _, c in ipairs(names) do eq("getName(" .. c[1] .. ")", fs.getName(c[1]), c[2]) end
local dirs = {
  { "", ".." }, { "/", ".." }, { "a", "" }, { "a/b/c", "a/b" }, { "/a/b/", "a" },
  { "a\\b", "a" }, { "..", "" }, { "../..", ".." }, { "a/../b/c", "b" },
}
for _, c in ipairs(dirs) do eq("getDir(" .. c[1] .. ")", fs.getDir(c[1]), c[2]) end

-- the same file under many spellings
local D = "fs-tmp-path-functions"
fs.delete(D)
local h = fs.open(D .. "/sub/file.txt", "w") h.write("x") h.close()
for _, p in ipairs({
  D .. "/sub/file.txt", "/" .. D .. "/sub/file.txt", D .. "\\sub\\file.txt",
  "\\\\" .. D .. "//sub///file.txt", D .. "/./sub/../sub/file.txt", D .. "/.../sub/file.txt",
  " " .. D .. " / sub / file.txt ", D .. "/sub/fi:le.txt", D .. "/sub/f*i?l|e<>.txt\"",
  D .. "/sub/file.txt/", D .. "/sub\n/file\t.txt",
}) do
  eq("exists " .. p, fs.exists(p), true)
  local r = fs.open(p, "r")
  eq("opens " .. p, r and r.readAll(), "x")
  if r then r.close() end
end
eq("case matters", fs.exists(D .. "/SUB/file.txt"), false)
eq("isDir with slash", fs.isDir(D .. "/sub/"), true)
fs.delete(D)
print("ok")
