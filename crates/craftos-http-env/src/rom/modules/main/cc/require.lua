-- cc.require: `make(env, dir)` builds a program's `require` and `package`,
-- resolving modules through `fs` only, relative to `dir` (the program's
-- directory), as CraftOS-PC's shell gives every program:
--
--   local r = require "cc.require"
--   local env = setmetatable({}, { __index = _ENV })
--   env.require, env.package = r.make(env, "/")
--
-- `package.path` is the setting `shell.package_path` (patterns separated
-- by ";", "?" standing for the name with "." turned into "/"); a pattern
-- not starting with "/" is relative to `dir`. A module is loaded with
-- `loadfile(path, nil, env)` and called with its name and path; its result
-- (true when it returns nothing) is kept in `package.loaded`.

local type, error, select, pairs, ipairs, setmetatable = type, error, select, pairs, ipairs, setmetatable
local format, gsub, gmatch, sub = string.format, string.gsub, string.gmatch, string.sub
local pack = table.pack or function(...) return { n = select("#", ...), ... } end
local unpack = table.unpack or unpack
local G = _G

-- `bad argument #N to 'NAME' (T expected, got U)` at the caller's caller.
local function check(index, name, value, want, also)
  local t = type(value)
  if t == want or t == also then return value end
  local wanted = want
  if also and also ~= "nil" then wanted = want .. " or " .. also end
  error(format("bad argument #%d to '%s' (%s expected, got %s)", index, name, wanted, t), 3)
end

local default_path = "?;?.lua;?/init.lua;/rom/modules/main/?;/rom/modules/main/?.lua;/rom/modules/main/?/init.lua"

local function preload_searcher(package)
  return function(name)
    if package.preload[name] then return package.preload[name] end
    return nil, "no field package.preload['" .. name .. "']"
  end
end

local function file_searcher(package, env)
  return function(name)
    local path, err = package.searchpath(name, package.path)
    if not path then return nil, err end
    local fn, load_err = G.loadfile(path, nil, env)
    if fn then return fn, path end
    return nil, load_err
  end
end

local function make_searchpath(dir)
  return function(name, path, sep, rep)
    check(1, "searchpath", name, "string")
    check(2, "searchpath", path, "string")
    sep = check(3, "searchpath", sep, "string", "nil") or "."
    rep = check(4, "searchpath", rep, "string", "nil") or "/"

    local file = gsub(name, (gsub(sep, "%.", "%%.")), rep)
    local tried = ""
    for pattern in gmatch(path, "[^;]+") do
      local candidate = gsub(pattern, "%?", file)
      if sub(candidate, 1, 1) ~= "/" then candidate = G.fs.combine(dir, candidate) end
      if G.fs.exists(candidate) and not G.fs.isDir(candidate) then return candidate end
      if #tried > 0 then tried = tried .. "\n  " end
      tried = tried .. "no file '" .. candidate .. "'"
    end
    return nil, tried
  end
end

local function make_require(package)
  local loading = {}
  return function(name)
    check(1, "require", name, "string")
    if package.loaded[name] == loading then
      error("loop or previous error loading module '" .. name .. "'", 0)
    end
    if package.loaded[name] then return package.loaded[name] end

    local message = "module '" .. name .. "' not found:"
    for _, searcher in ipairs(package.loaders) do
      local found = pack(searcher(name))
      if found[1] then
        package.loaded[name] = loading
        local result = found[1](name, unpack(found, 2, found.n))
        if result == nil then result = true end
        package.loaded[name] = result
        return result
      end
      message = message .. "\n  " .. found[2]
    end
    error(message, 2)
  end
end

local function make(env, dir)
  check(1, "make", env, "table")
  check(2, "make", dir, "string")

  local package = {}
  package.loaded = { _G = G, package = package }
  for _, lib in ipairs({ "coroutine", "table", "io", "os", "string", "bit32", "math", "utf8" }) do
    if type(G[lib]) == "table" then package.loaded[lib] = G[lib] end
  end

  local settings = G.settings
  package.path = settings and settings.get("shell.package_path") or default_path
  if G.turtle then
    package.path = package.path .. ";/rom/modules/turtle/?;/rom/modules/turtle/?.lua;/rom/modules/turtle/?/init.lua"
  elseif G.commands then
    package.path = package.path .. ";/rom/modules/command/?;/rom/modules/command/?.lua;/rom/modules/command/?/init.lua"
  end
  package.config = "/\n;\n?\n!\n-"
  package.preload = {}
  package.loaders = { preload_searcher(package), file_searcher(package, env) }
  package.searchpath = make_searchpath(dir)

  return make_require(package), package
end

return { make = make }
