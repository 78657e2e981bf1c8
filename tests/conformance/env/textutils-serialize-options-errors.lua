--[==[case
clauses = ["X6", "G3"]
summary = "textutils.serialize options and errors as CraftOS-PC: a table twice is refused unless allow_repetitions (a cycle always is), functions and threads are refused (no position); bad options raise cc.expect's messages at the caller's position"
stdout = '''
Cannot serialize table with repeated entries
{
  {
    1,
  },
  {
    1,
  },
}
{{1,},{1,},}
Cannot serialize table with recursive entries
Cannot serialize table with recursive entries
Cannot serialize type function
Cannot serialize type thread
Cannot serialize type function
bad field 'compact' (boolean expected, got string)
bad field 'allow_repetitions' (boolean expected, got number)
bad argument #2 to 'serialize' (table expected, got string)
ok
'''
]==]
local S = textutils.serialize
local function E(f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "no error")
  return err
end
local t = { 1 }
print(E(S, { t, t }))
print(S({ t, t }, { allow_repetitions = true }))
print(S({ t, t }, { allow_repetitions = true, compact = true }))
local r = {} r[1] = r
print(E(S, r))
print(E(S, { a = { b = r } }, { allow_repetitions = true }))
print(E(S, { print }))
print(E(S, { co = coroutine.create(print) }))
-- io.stdout is a table of functions, as CC's io library makes it
print(E(S, { io.stdout }))

-- Each line calls error("ref") and serialize from functions on that line:
-- the error must carry the same position.
local function check(ref, f)
  local pos = E(ref):match("^(.*:%d+: )ref$")
  local err = E(f)
  assert(err:sub(1, #pos) == pos, ("want position %q in %q"):format(pos, err))
  print(err:sub(#pos + 1))
end
check(function() error("ref") end, function() local s = S({}, { compact = "yes" }) end)
check(function() error("ref") end, function() local s = S({}, { allow_repetitions = 1 }) end)
check(function() error("ref") end, function() local s = S({}, "x") end)
print("ok")
