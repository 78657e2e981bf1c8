-- The read-only `/rom` mount (env/rom.rs): the `fs` functions, `loadfile`
-- and `dofile` are wrapped so that a path inside `rom` is answered from
-- `files` (ROM path -> contents) and every other path goes to the `fs`
-- functions as they were, unchanged.
--
-- What CraftOS-PC answers for a read-only mount: writes, `makeDir`,
-- `delete` are refused with `/rom/x: Access denied` (`move` with `Access
-- denied`), `isReadOnly` is true, `getDrive` is "rom", `getFreeSpace` 0,
-- `getCapacity` nil, `attributes` times 0. A real `rom` in the root is
-- hidden behind the mount, as a mount hides what is under it.
local E, G, files, load = ...
local fs = G.fs
if type(fs) ~= "table" then return end

local expect = E.expect
local type, error, pcall, select, tostring, rawequal, sort, concat =
  type, error, pcall, select, tostring, rawequal, table.sort, table.concat
local pack = table.pack or function(...) return { n = select("#", ...), ... } end
local unpack = table.unpack or unpack
local sub, find, byte = string.sub, string.find, string.byte

local native = {}
for k, v in pairs(fs) do native[k] = v end
local combine = native.combine

-- The tree: dirs[rel] = sorted names in it ("" is /rom itself).
local dirs = { [""] = {} }
for path in pairs(files) do
  local dir = ""
  for name, slash in path:gmatch("([^/]+)(/?)") do
    local child = dir == "" and name or dir .. "/" .. name
    local entries = dirs[dir]
    if not entries[name] then
      entries[name] = true
      entries[#entries + 1] = name
    end
    if slash == "/" then dirs[child] = dirs[child] or {} end
    dir = child
  end
end
for _, entries in pairs(dirs) do sort(entries) end

-- The path inside the mount ("" for /rom), or nil for any other path.
local function in_rom(p)
  local t = type(p)
  if t ~= "string" and t ~= "number" then return nil end
  local n = combine(tostring(p))
  if n == "rom" then return "" end
  if sub(n, 1, 4) == "rom/" then return sub(n, 5) end
  return nil
end

local function is_file(rel) return files[rel] ~= nil end
local function is_dir(rel) return dirs[rel] ~= nil end
local function shown(rel) return rel == "" and "/rom" or "/rom/" .. rel end

-- A ROM answer that raises: the wrapper raises it at its caller.
local RAISE = {}

-- The `fs` function `name`: `rom(rel, ...)` answers for paths in the mount
-- (the first argument's, or with `second` the second's too), the native
-- function for the others. Errors of either are raised at the caller.
local function wrap(name, rom, second)
  local original = native[name]
  return function(...)
    local rel = in_rom((...))
    local rel2 = second and in_rom((select(2, ...)))
    local r
    if rel or rel2 then
      r = pack(rom(rel, rel2, ...))
      if r[1] == RAISE then error(r[2], 2) end
      return unpack(r, 1, r.n)
    end
    -- Called through pcall, the original's error has no position of ours.
    r = pack(pcall(original, ...))
    if not r[1] then error(r[2], 2) end
    return unpack(r, 2, r.n)
  end
end

-- Read handles over a ROM file -------------------------------------------

local CLOSED = "attempt to use a closed file"

local function handle(data, binary)
  local pos, open = 0, true
  local h = {}
  -- `h.f(...)` or `h:f(...)`; `f` returns RAISE, message to raise.
  local function method(f)
    return function(...)
      local r
      if rawequal((...), h) then r = pack(f(select(2, ...))) else r = pack(f(...)) end
      if r[1] == RAISE then error(r[2], 2) end
      return unpack(r, 1, r.n)
    end
  end
  local function count(n)
    if type(n) == "number" then return n end
    if type(n) == "string" then return tonumber(n) end
    return nil
  end
  h.read = method(function(n)
    if not open then return RAISE, CLOSED end
    local wanted = count(n)
    if wanted and wanted < 0 then
      return RAISE, binary and "Cannot read a negative number of bytes" or "Cannot read a negative number of characters"
    end
    if pos >= #data then return nil end
    if binary and not wanted then
      pos = pos + 1
      return byte(data, pos)
    end
    wanted = wanted and math.floor(wanted) or 1
    local s = sub(data, pos + 1, pos + wanted)
    pos = pos + #s
    return s
  end)
  h.readLine = method(function(keep)
    if not open then return RAISE, CLOSED end
    if pos >= #data then return nil end
    local nl = find(data, "\n", pos + 1, true)
    local line
    if nl then
      line = sub(data, pos + 1, keep and nl or nl - 1)
      pos = nl
    else
      line = sub(data, pos + 1)
      pos = #data
    end
    return line
  end)
  h.readAll = method(function()
    if not open then return RAISE, CLOSED end
    local s = sub(data, pos + 1)
    pos = #data
    return s
  end)
  h.seek = method(function(whence, offset)
    if not open then return RAISE, CLOSED end
    whence = whence == nil and "cur" or whence
    if type(whence) == "number" then whence = tostring(whence) end
    if type(whence) ~= "string" then
      return RAISE, "bad argument #1 to 'seek' (string expected, got " .. type(whence) .. ")"
    end
    local off = offset == nil and 0 or tonumber(offset)
    if off == nil then
      return RAISE, "bad argument #2 to 'seek' (number expected, got " .. type(offset) .. ")"
    end
    off = math.floor(off)
    local base
    if whence == "set" then
      if off < 0 then return nil, "Position is negative" end
      base = 0
    elseif whence == "cur" then
      base = pos
    elseif whence == "end" then
      base = #data
    else
      return RAISE, "bad argument #1 to 'seek' (invalid option '" .. whence .. "')"
    end
    if base + off < 0 then return nil, "Invalid argument" end
    pos = base + off
    return pos
  end)
  h.close = method(function()
    if not open then return RAISE, CLOSED end
    open = false
  end)
  return h
end

-- The wrapped functions -----------------------------------------------------

local function mode_of(m)
  local cut = find(m, "\0", 1, true)
  if cut then m = sub(m, 1, cut - 1) end
  return m
end

local native_open = native.open
function fs.open(...)
  local path, mode = ...
  local rel = in_rom(path)
  if rel and type(mode) == "string" then
    local m = mode_of(mode)
    if not m:match("^[rwa]%+?b?$") then error(m .. ": Unsupported mode", 2) end
    local reading = sub(m, 1, 1) == "r"
    if is_dir(rel) then
      return nil, shown(rel) .. (reading and ": Not a file" or ": Cannot write to directory")
    end
    if not reading or find(m, "+", 1, true) then
      if reading and not is_file(rel) then return nil, shown(rel) .. ": No such file" end
      return nil, shown(rel) .. ": Access denied"
    end
    if not is_file(rel) then return nil, shown(rel) .. ": No such file" end
    return handle(files[rel], find(m, "b", 1, true) ~= nil)
  end
  local r = pack(pcall(native_open, ...))
  if not r[1] then error(r[2], 2) end
  return unpack(r, 2, r.n)
end

fs.exists = wrap("exists", function(rel) return is_file(rel) or is_dir(rel) end)
fs.isDir = wrap("isDir", function(rel) return is_dir(rel) end)
fs.isReadOnly = wrap("isReadOnly", function() return true end)
fs.getFreeSpace = wrap("getFreeSpace", function() return 0 end)
fs.getCapacity = wrap("getCapacity", function() return nil end)

fs.getDrive = wrap("getDrive", function(rel)
  if is_file(rel) or is_dir(rel) then return "rom" end
end)

fs.getSize = wrap("getSize", function(rel)
  if is_file(rel) then return #files[rel] end
  if is_dir(rel) then return 0 end
  return RAISE, shown(rel) .. ": No such file"
end)

fs.attributes = wrap("attributes", function(rel)
  if not (is_file(rel) or is_dir(rel)) then return RAISE, shown(rel) .. ": No such file" end
  return {
    modification = 0, modified = 0, created = 0,
    size = is_file(rel) and #files[rel] or 0,
    isDir = is_dir(rel), isReadOnly = true,
  }
end)

local native_list = native.list
fs.list = function(...)
  local path = ...
  local rel = in_rom(path)
  if rel then
    if is_dir(rel) then return { unpack(dirs[rel]) } end
    if is_file(rel) then error(shown(rel) .. ": Not a directory", 2) end
    error(shown(rel) .. ": No such file", 2)
  end
  local r = pack(pcall(native_list, ...))
  if not r[1] then error(r[2], 2) end
  local names = r[2]
  -- The mount point shows in the root, in its sorted place.
  if (type(path) == "string" or type(path) == "number") and combine(tostring(path)) == "" then
    local at = #names + 1
    for i = 1, #names do
      if names[i] == "rom" then at = nil break end
      if names[i] > "rom" then at = i break end
    end
    if at then table.insert(names, at, "rom") end
  end
  return names
end

fs.makeDir = wrap("makeDir", function(rel) return RAISE, shown(rel) .. ": Access denied" end)
fs.delete = wrap("delete", function(rel) return RAISE, shown(rel) .. ": Access denied" end)
fs.move = wrap("move", function() return RAISE, "Access denied" end, true)

-- Copy the ROM entry `rel` to the (writable) path `to`.
local function copy_out(rel, to)
  if is_file(rel) then
    local target = to
    if fs.isDir(target) then target = combine(target, (rel:match("[^/]+$"))) end
    if fs.exists(target) then return RAISE, shown(rel) .. ": File exists" end
    local h, err = native_open(target, "wb")
    if not h then return RAISE, err end
    h.write(files[rel])
    h.close()
    return
  end
  if fs.exists(to) and not fs.isDir(to) then return RAISE, shown(rel) .. ": File exists" end
  local ok, err = pcall(native.makeDir, to)
  if not ok then return RAISE, err end
  for _, name in ipairs(dirs[rel]) do
    local r = pack(copy_out(rel == "" and name or rel .. "/" .. name, combine(to, name)))
    if r[1] == RAISE then return RAISE, r[2] end
  end
end

fs.copy = wrap("copy", function(rel, rel2, from, to)
  if rel2 then return RAISE, shown(rel2) .. ": Access denied" end
  if not (is_file(rel) or is_dir(rel)) then return RAISE, shown(rel) .. ": No such file" end
  if type(to) ~= "string" and type(to) ~= "number" then
    return RAISE, "bad argument #2 to 'copy' (string expected, got " .. (to == nil and "no value" or type(to)) .. ")"
  end
  local target = combine(tostring(to))
  if target == ".." or sub(target, 1, 3) == "../" then return RAISE, "/" .. target .. ": Invalid path" end
  return copy_out(rel, target)
end, true)

-- fs.find over the mount: CraftOS-PC's ROM walk (wildcards `*` and `?`
-- within one segment) when the pattern can reach into `rom`; the native
-- find otherwise.
local wildcard_escape = {
  ["^"] = "%^", ["$"] = "%$", ["("] = "%(", [")"] = "%)", ["%"] = "%%",
  ["."] = "%.", ["["] = "%[", ["]"] = "%]", ["+"] = "%+", ["-"] = "%-",
  ["*"] = ".*", ["?"] = ".",
}
local function segment_pattern(part) return "^" .. part:gsub(".", wildcard_escape) .. "$" end

local function walk(path, parts, i, out)
  local part = parts[i]
  if not part then
    if fs.exists(path) then out[#out + 1] = path end
  elseif not find(part, "[*?]") then
    walk(combine(path, part), parts, i + 1, out)
  elseif fs.isDir(path) then
    local pattern = segment_pattern(part)
    for _, name in ipairs(fs.list(path)) do
      if find(name, pattern) then walk(combine(path, name), parts, i + 1, out) end
    end
  end
end

local native_find = native.find
function fs.find(...)
  local pattern = ...
  if type(pattern) == "string" or type(pattern) == "number" then
    local n = combine(tostring(pattern))
    local first = n:match("^[^/]*")
    if first == "rom" or (find(first, "[*?]") and find("rom", segment_pattern(first))) then
      local parts = {}
      for part in n:gmatch("[^/]+") do parts[#parts + 1] = part end
      local out = {}
      walk("", parts, 1, out)
      return out
    end
  end
  local r = pack(pcall(native_find, ...))
  if not r[1] then error(r[2], 2) end
  return unpack(r, 2, r.n)
end

-- isDriveRoot sees the mount's drive.
function fs.isDriveRoot(path)
  expect(1, "isDriveRoot", path, "string")
  local parent = fs.getDir(path)
  if parent == ".." then return true end
  local drive = fs.getDrive(path)
  return drive ~= nil and drive ~= fs.getDrive(parent)
end

-- loadfile / dofile read ROM files from the mount.
local native_loadfile = G.loadfile
if type(native_loadfile) == "function" then
  function G.loadfile(...)
    local filename, mode, env = ...
    local rel = in_rom(filename)
    if rel and type(filename) == "string" then
      if type(mode) == "table" and env == nil then mode, env = nil, mode end
      expect(2, "loadfile", mode, "string", "nil")
      expect(3, "loadfile", env, "table", "nil")
      if not is_file(rel) then return nil, "File not found" end
      if env == nil then return load(files[rel], "@/rom/" .. rel, mode) end
      return load(files[rel], "@/rom/" .. rel, mode, env)
    end
    local r = pack(pcall(native_loadfile, ...))
    if not r[1] then error(r[2], 2) end
    return unpack(r, 2, r.n)
  end

  function G.dofile(filename)
    expect(1, "dofile", filename, "string")
    local f, err = G.loadfile(filename, nil, G)
    if not f then error(err, 2) end
    return f()
  end
end
