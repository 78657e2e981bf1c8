--[==[case
clauses = ["X7", "G6"]
summary = "[fix] no loader takes Lua bytecode (load, loadstring, loadfile, dofile; a string or a reader function; whatever the mode), as CC: Tweaked: a patched dump cannot crash the computer; text still loads"
files = ["sandbox-fixtures"]
fix = ["X7"]
stdout = '''
ok
'''
]==]
local BINARY = "attempt to load a binary chunk (mode is 't')"
local function refused(what, f, err)
  if f ~= nil or err ~= BINARY then
    error(what .. ": expected nil, " .. BINARY .. "; got " .. tostring(f) .. ", " .. tostring(err), 2)
  end
end
local dumped = string.dump(function(a) return a + 1 end)
assert(dumped:byte(1) == 27, "string.dump gives bytecode")
refused("load", load(dumped))
refused("load, mode bt", load(dumped, "=x", "bt"))
refused("load, mode b", load(dumped, "=x", "b"))
refused("loadstring", loadstring(dumped))
local sent = false
refused("load(reader)", load(function()
  if sent then return nil end
  sent = true
  return dumped
end))
-- A dump with its constant indices scrambled (what once crashed the VM).
local patched = dumped:sub(1, 40) .. ("\255"):rep(#dumped - 40)
refused("patched dump", load(patched))

-- loadfile / dofile read through fs (a file that starts as bytecode does).
local f, err = loadfile("/sandbox-fixtures/bytecode.bin")
refused("loadfile", f, err)
local ok, derr = pcall(dofile, "/sandbox-fixtures/bytecode.bin")
assert(not ok and tostring(derr):find(BINARY, 1, true), "dofile: " .. tostring(derr))

-- Text loads as before, with Lua 5.2's arguments.
assert(load("return 1 + 1")() == 2)
assert(load("return ...", "=n", "t")(7) == 7)
assert(load("return x", "=n", "t", { x = 3 })() == 3)
assert(loadstring("return 4")() == 4)
local parts, i = { "return ", "5" }, 0
assert(load(function() i = i + 1 return parts[i] end)() == 5)
local nf, nerr = load("return 1", "=n", "b")
assert(nf == nil and nerr == "attempt to load a text chunk (mode is 'b')", tostring(nerr))
local sf, serr = load("x x", "=src")
assert(sf == nil and serr:find("^src:1:"), tostring(serr))
print("ok")
