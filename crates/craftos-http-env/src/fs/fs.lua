-- The `fs` table, file handles, `loadfile` and `dofile` (SEMANTICS X7, X8)
-- over the natives of `env/fs.rs`.
--
-- A native returns a count and up to two values (`n, a, b`), `3, ud, mode`
-- for a new handle, or `FAIL, message` for an error, which is raised here at
-- the script's call (G2).
local N, FAIL, load, G = ...

local error, select, type, rawequal = error, select, type, rawequal
local concat = table.concat

local function wrap(f)
  return function(...)
    local n, a, b = f(...)
    if n == 1 then return a end
    if n == FAIL then error(a, 2) end
    if n == 0 then return end
    return a, b
  end
end

-- A handle function: `h.read(...)` and, as for the http handles (G1
-- [ext]), `h:read(...)`.
local function method(h, ud, f)
  return function(...)
    local n, a, b
    if rawequal((...), h) then
      n, a, b = f(ud, select(2, ...))
    else
      n, a, b = f(ud, ...)
    end
    if n == 1 then return a end
    if n == FAIL then error(a, 2) end
    if n == 0 then return end
    return a, b
  end
end

local function handle(ud, mode)
  local h = {}
  h.close = method(h, ud, N.close)
  h.seek = method(h, ud, N.seek)
  local binary = mode:find("b", 1, true) ~= nil
  if mode:sub(1, 1) == "r" or mode:find("+", 1, true) then
    h.read = method(h, ud, binary and N.readByte or N.readChar)
    h.readAll = method(h, ud, N.readAll)
    h.readLine = method(h, ud, N.readLine)
  end
  if mode:sub(1, 1) ~= "r" or mode:find("+", 1, true) then
    h.write = method(h, ud, binary and N.writeByte or N.writeString)
    h.writeLine = method(h, ud, N.writeLine)
    h.flush = method(h, ud, N.flush)
  end
  return h
end

local fs = {}
for _, name in ipairs({
  "list", "exists", "isDir", "isReadOnly", "getName", "getDrive", "getSize",
  "getFreeSpace", "makeDir", "move", "copy", "delete", "combine", "find",
  "getDir", "attributes", "getCapacity",
}) do
  fs[name] = wrap(N[name])
end

local open = N.open
function fs.open(...)
  local n, a, b = open(...)
  if n == 3 then return handle(a, b) end
  if n == FAIL then error(a, 2) end
  return a, b
end

local function expect(n, fname, value, ...)
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, concat({ ... }, " or "), t), 3)
end

local getDir, getDrive = fs.getDir, fs.getDrive
function fs.isDriveRoot(path)
  expect(1, "isDriveRoot", path, "string")
  local parent = getDir(path)
  if parent == ".." then return true end
  local drive = getDrive(path)
  return drive ~= nil and drive ~= getDrive(parent)
end

-- loadfile / dofile (X7): read through `fs`, chunk named `@/path` as
-- CraftOS-PC's BIOS names it. [fix] Without `env` the chunk gets the global
-- environment (CraftOS-PC's BIOS passes an explicit nil, which would leave
-- the chunk no environment at all).
local fsOpen, combine = fs.open, fs.combine
local function loadfile(filename, mode, env)
  if type(mode) == "table" and env == nil then mode, env = nil, mode end
  expect(1, "loadfile", filename, "string")
  expect(2, "loadfile", mode, "string", "nil")
  expect(3, "loadfile", env, "table", "nil")
  local file = fsOpen(filename, "r")
  if not file then return nil, "File not found" end
  local source = file.readAll()
  file.close()
  if env == nil then return load(source, "@/" .. combine(filename), mode) end
  return load(source, "@/" .. combine(filename), mode, env)
end

local function dofile(filename)
  expect(1, "dofile", filename, "string")
  local f, e = loadfile(filename, nil, G)
  if not f then error(e, 2) end
  return f()
end

G.fs, G.loadfile, G.dofile = fs, loadfile, dofile
