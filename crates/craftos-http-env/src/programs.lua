-- os.run, os.loadAPI, os.unloadAPI (env/programs.rs).
local E, G = ...
local expect = E.expect
local type, pairs, error, tostring, setmetatable, getmetatable, pcall =
  type, pairs, error, tostring, setmetatable, getmetatable, pcall

local os = G.os
if type(os) ~= "table" then
  os = {}
  G.os = os
end

local function print_error(message)
  local printError = G.printError
  if printError then printError(message) end
end

local function strict()
  local settings = G.settings
  return settings ~= nil and settings.get("bios.strict_globals", false)
end

function os.run(env, path, ...)
  expect(1, "run", env, "table")
  expect(2, "run", path, "string")
  setmetatable(env, { __index = G })
  if strict() then
    -- load sets _ENV in the environment first: let it, then refuse others.
    env._ENV = env
    getmetatable(env).__newindex = function(_, name)
      error("Attempt to create global " .. tostring(name), 2)
    end
  end
  local fn, err = G.loadfile(path, nil, env)
  if fn then
    local ok, failure = pcall(fn, ...)
    if ok then return true end
    if failure and failure ~= "" then print_error(failure) end
    return false
  end
  if err and err ~= "" then print_error(err) end
  return false
end

local loading = {}
function os.loadAPI(path)
  expect(1, "loadAPI", path, "string")
  local name = G.fs.getName(path)
  if name:sub(-4) == ".lua" then name = name:sub(1, -5) end
  if loading[name] then
    print_error("API " .. name .. " is already being loaded")
    return false
  end
  loading[name] = true

  local env = setmetatable({}, { __index = G })
  local fn, err = G.loadfile(path, nil, env)
  if fn then
    local ok, failure = pcall(fn)
    if not ok then
      loading[name] = nil
      error("Failed to load API " .. name .. " due to " .. tostring(failure), 2)
    end
  else
    loading[name] = nil
    error("Failed to load API " .. name .. " due to " .. tostring(err), 2)
  end

  local api = {}
  for k, v in pairs(env) do
    if k ~= "_ENV" then api[k] = v end
  end
  G[name] = api
  loading[name] = nil
  return true
end

function os.unloadAPI(name)
  expect(1, "unloadAPI", name, "string")
  if name ~= "_G" and type(G[name]) == "table" then G[name] = nil end
end
