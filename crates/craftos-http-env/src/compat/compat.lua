-- The Lua 5.1 functions CraftOS-PC's Lua 5.2 keeps, and CC's `bit` API
-- (SEMANTICS X7). Installed after the natives of compat.rs; each function
-- is added only where the VM lacks it, except `loadstring` and `bit`,
-- which are always CraftOS-PC's.

local type, select, error, pairs, next, load =
  type, select, error, pairs, next, load
local bit32, math, table = bit32, math, table

-- `bad argument #N to 'NAME' (T expected, got U)` at the caller of the API
-- function that calls it (G3): the environment's shared check (expect.lua).
local expect = (...).expect

-- CC's `bit`: the bit32 functions under their old names, the same
-- function values (CraftOS-PC's BIOS and CC: Tweaked's alias them so).
bit = {
  bnot = bit32.bnot,
  band = bit32.band,
  bor = bit32.bor,
  bxor = bit32.bxor,
  brshift = bit32.arshift,
  blshift = bit32.lshift,
  blogic_rshift = bit32.rshift,
}

-- Historically load/loadstring took a chunk name as if prefixed with "=";
-- CraftOS-PC's BIOS keeps that for loadstring.
local function prefix(chunkname)
  if type(chunkname) ~= "string" then return chunkname end
  local head = chunkname:sub(1, 1)
  if head == "=" or head == "@" then return chunkname end
  return "=" .. chunkname
end

-- Through the text-only `load` (env/chunks.rs) on every VM: 5.1's own
-- loadstring would take bytecode.
function loadstring(s, chunkname) return load(s, prefix(chunkname)) end

if unpack == nil then unpack = table.unpack end

-- Lua 5.2's pcall and xpcall on Lua 5.1 (LuaJIT has them; `load` with
-- 5.2's signature is env/chunks.rs's): `pcall` can be yielded across (as
-- `os.pullEvent` inside `pcall` needs; the body runs as a coroutine whose
-- yields are passed through), `xpcall` passes extra arguments.

do
  local create, resume, status, yield = coroutine.create, coroutine.resume, coroutine.status, coroutine.yield
  local probe = create(function() return pcall(yield) end)
  resume(probe)
  if status(probe) ~= "suspended" then
    local function pass(co, ok, ...)
      if not ok then return false, ... end
      if status(co) == "dead" then return true, ... end
      return pass(co, resume(co, yield(...)))
    end
    function pcall(f, ...)
      local co = create(function(...) return f(...) end)
      return pass(co, resume(co, ...))
    end
  end
end

if select(2, xpcall(function(...) return select("#", ...) end, tostring, 1)) ~= 1 then
  local native_xpcall, unpack = xpcall, unpack
  function xpcall(f, msgh, ...)
    local n = select("#", ...)
    if n == 0 then return native_xpcall(f, msgh) end
    local args = { ... }
    return native_xpcall(function() return f(unpack(args, 1, n)) end, msgh)
  end
end

-- Lua 5.2's, on 5.1 and LuaJIT.
if table.unpack == nil then table.unpack = unpack end

if table.pack == nil then
  function table.pack(...)
    return { n = select("#", ...), ... }
  end
end

if rawlen == nil then
  -- 5.1 and LuaJIT: `#` ignores __len on tables, so it is already raw.
  function rawlen(v)
    local t = type(v)
    if t ~= "table" and t ~= "string" then
      error("bad argument #1 to 'rawlen' (table or string expected)", 2)
    end
    return #v
  end
end

-- Lua 5.2's math.log(x [, base]), on Lua 5.1 (whose log ignores a base).
if math.log(100, 10) ~= 2 then
  local log, log10, tonumber = math.log, math.log10, tonumber
  function math.log(x, base)
    local n = tonumber(x)
    if n == nil then expect(1, "log", x, "number") end
    if base == nil then return log(n) end
    local b = tonumber(base)
    if b == nil then expect(2, "log", base, "number") end
    -- As 5.2 computes it: log10 for base 10, exact for powers of 10.
    if b == 10 then return log10(n) end
    return log(n) / log(b)
  end
end

if math.log10 == nil then
  local log = math.log
  function math.log10(x) return log(x, 10) end
end

if math.pow == nil then
  function math.pow(x, y)
    expect(1, "pow", x, "number")
    expect(2, "pow", y, "number")
    return x ^ y
  end
end

-- The largest positive numeric key (0 when there is none), as CraftOS-PC's
-- BIOS computes it.
if table.maxn == nil then
  function table.maxn(t)
    expect(1, "maxn", t, "table")
    local n = 0
    for k in pairs(t) do
      if type(k) == "number" and k > n then n = k end
    end
    return n
  end
end

if table.getn == nil then
  function table.getn(t)
    expect(1, "getn", t, "table")
    return #t
  end
end

-- Lua 5.1's own setn only raises "'setn' is obsolete".
if table.setn == nil or not pcall(table.setn, {}, 0) then
  -- CraftOS-PC keeps setn as a no-op returning its table.
  function table.setn(t)
    expect(1, "setn", t, "table")
    return t
  end
end

if table.foreach == nil then
  function table.foreach(t, f)
    expect(1, "foreach", t, "table")
    expect(2, "foreach", f, "function")
    for k, v in next, t do
      local r = f(k, v)
      if r ~= nil then return r end
    end
  end
end

if table.foreachi == nil then
  function table.foreachi(t, f)
    expect(1, "foreachi", t, "table")
    expect(2, "foreachi", f, "function")
    for i = 1, #t do
      local r = f(i, t[i])
      if r ~= nil then return r end
    end
  end
end

if table.move == nil then
  -- Lua 5.3's table.move(a1, f, e, t[, a2]).
  local floor = math.floor
  function table.move(a1, f, e, t, a2)
    expect(1, "move", a1, "table")
    expect(2, "move", f, "number")
    expect(3, "move", e, "number")
    expect(4, "move", t, "number")
    expect(5, "move", a2, "table", "nil")
    if a2 == nil then a2 = a1 end
    f, e, t = floor(f), floor(e), floor(t)
    if e >= f then
      if t > e or t <= f or a1 ~= a2 then
        for i = 0, e - f do a2[t + i] = a1[f + i] end
      else
        for i = e - f, 0, -1 do a2[t + i] = a1[f + i] end
      end
    end
    return a2
  end
end

if _VERSION == "Lua 5.1" then
  -- Lua 5.1 and LuaJIT collect nothing when an allocation fails (Lua 5.2
  -- runs an emergency collection): once a script reaches its memory limit,
  -- what it has dropped stays until the next cycle, and every allocation
  -- fails meanwhile, so the script could not even report the error it
  -- caught. pcall, xpcall and coroutine.resume collect when they catch it.
  local collect, native_pcall, native_xpcall, native_resume =
    collectgarbage, pcall, xpcall, coroutine.resume
  local function after(ok, ...)
    if not ok and ... == "not enough memory" then collect() end
    return ok, ...
  end
  function pcall(...) return after(native_pcall(...)) end
  function xpcall(...) return after(native_xpcall(...)) end
  function coroutine.resume(...) return after(native_resume(...)) end
end
