--[==[case
clauses = ["X8"]
summary = "--root DIR roots fs elsewhere than the script's directory: the root's files are visible, its parent is not (.. refused, not even the script itself is reachable)"
runner_args = ["--root", "tests/conformance/env/fs-fixtures/sub"]
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %q, want %q"):format(what, tostring(got), tostring(want)), 2) end
end
-- f must raise exactly `msg`, as a string with this script's position (G2)
local function raises(what, f, msg)
  local ok, e = pcall(f)
  if ok then error(what .. ": no error", 2) end
  if type(e) ~= "string" then error(what .. ": error is a " .. type(e), 2) end
  local prefix = e:sub(1, #e - #msg)
  if e:sub(-#msg) ~= msg or not prefix:match("fs%-[%w%-]+%.lua:%d+: $") then
    error(("%s: got %q, want <position>: %q"):format(what, e, msg), 2)
  end
end
-- f(...) must return exactly nil, msg
local function fails(what, msg, f, ...)
  local n = select("#", f(...))
  local a, b = f(...)
  if a ~= nil or b ~= msg or n ~= 2 then
    error(("%s: got %s, %q, want nil, %q"):format(what, tostring(a), tostring(b), msg), 2)
  end
end
eq("root listing", table.concat(fs.list(""), ","), "inner.txt,rom")
eq("root file", fs.open("inner.txt", "r").readAll(), "inner\n")
eq("/ is the root", fs.open("/inner.txt", "r").readAll(), "inner\n")
eq("parent file", fs.exists("../data.txt"), false)
fails("parent open", "/../data.txt: No such file", fs.open, "../data.txt", "r")
fails("parent write", "/../data.txt: No such file", fs.open, "../data.txt", "a")
eq("script not reachable", fs.exists("../../fs-root-option.lua"), false)
eq("loadfile of the script", select(2, loadfile("../../fs-root-option.lua")), "File not found")
raises("list parent", function() fs.list("..") end, "/..: No such file")
eq("parent data unchanged", fs.getSize("inner.txt"), 6)
print("ok")
