--[==[case
clauses = ["X5"]
summary = "waitForAny returns the index of the first function to finish (later ones never start), waitForAll the index of the last, both 0 with no functions and nothing else; errors (strings with their position, tables) propagate; non-functions are refused at the caller's position"
stdout = '''
any: first done -> 1, second started: false
any: second done -> 2
any: values -> 1 value(s)
all: last done -> 2
all: last done -> 1
none: 0 0
error: boom
table error is the same table: true
bad argument #2 (function expected, got number)
bad argument #1 (function expected, got nil)
ok
'''
]==]
local started = false
print("any: first done -> " .. parallel.waitForAny(function() end, function() started = true end) ..
  ", second started: " .. tostring(started))
print("any: second done -> " .. parallel.waitForAny(function() os.pullEvent("never") end, function() end))
print("any: values -> " .. select("#", parallel.waitForAny(function() return "x", "y" end)) .. " value(s)")
print("all: last done -> " .. parallel.waitForAll(function() end, function() sleep(0.05) end))
print("all: last done -> " .. parallel.waitForAll(function() sleep(0.05) end, function() end))
print("none: " .. parallel.waitForAny() .. " " .. parallel.waitForAll())

local function where(f)
  local ok, err = pcall(f)
  assert(not ok, "no error")
  return err
end
local err = where(function()
  parallel.waitForAny(function() coroutine.yield() end, function() error("boom") end)
end)
-- the error keeps the position where it was raised, inside the function
print("error: " .. err:match("^.-:%d+: (.*)$"))
local t = {}
print("table error is the same table: " .. tostring(where(function() parallel.waitForAll(function() error(t) end) end) == t))

-- Each line calls error("ref") and parallel from functions on that line.
local function check(ref, f)
  local pos = where(ref):match("^(.*:%d+: )ref$")
  local e = where(f)
  assert(e:sub(1, #pos) == pos, ("want position %q in %q"):format(pos, e))
  print(e:sub(#pos + 1))
end
check(function() error("ref") end, function() parallel.waitForAny(print, 5) end)
check(function() error("ref") end, function() parallel.waitForAll(nil) end)
print("ok")
