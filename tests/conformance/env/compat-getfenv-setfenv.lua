--[==[case
clauses = ["X7"]
summary = "getfenv/setfenv as CraftOS-PC's (the _ENV upvalue of a function or stack level); setfenv returns the function; errors name the argument"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2) end
end
eq("level 0 is the global table", getfenv(0), _G)
eq("level 1", getfenv(1), _G)
eq("no argument is level 1", getfenv(), _G)
eq("C function", getfenv(print), _G)
local env = { x = "from env" }
local f = load("return x", "c", "t", env)
eq("function", getfenv(f), env)
-- setfenv on a function: only that function changes
local function g() return x end
x = "global"
eq("setfenv returns the function", setfenv(g, { x = "mine" }), g)
eq("changed", g(), "mine")
eq("others keep _G", (function() return x end)(), "global")
-- setfenv on a level: the caller
local function h()
  setfenv(1, setmetatable({ y = "level" }, { __index = _G }))
  return y, x
end
local a, b = h()
eq("level env", a, "level") eq("falls back", b, "global")
-- getfenv of a level inside a function with its own env
local env2 = setmetatable({}, { __index = _G })
-- (A tail call to a C function keeps its caller's level, except on LuaJIT,
-- whose getfenv(1) there sees the caller's caller.)
local source = type(jit) == "table" and "local e = getfenv(1) return e" or "return getfenv(1)"
local inner = load(source, "c", "t", env2)
eq("level of loaded chunk", inner(), env2)
-- a function with no _ENV upvalue is left alone, and gives _G
local function noenv() return 1 end
eq("no _ENV", getfenv(noenv), _G)
setfenv(noenv, {})
eq("still callable", noenv(), 1)
-- errors
local ok, e = pcall(function() getfenv("x") end)
-- Lua 5.1 and LuaJIT (_VERSION "Lua 5.1") keep their own getfenv and
-- setfenv, whose messages name only a number or a table.
local v51 = _VERSION == "Lua 5.1"
local wanted = v51 and "number" or "number or function"
assert(not ok and e:match(":%d+: bad argument #1 to 'getfenv' %(" .. wanted .. " expected, got string%)$"), e)
ok, e = pcall(function() getfenv(99) end)
assert(not ok and e:match(":%d+: bad argument #1 to 'getfenv' %(invalid level%)$"), e)
ok, e = pcall(function() setfenv(g) end)
wanted = v51 and "table expected, got no value" or "value expected"
assert(not ok and e:match(":%d+: bad argument #2 to 'setfenv' %(" .. wanted .. "%)$"), e)
print("ok")
