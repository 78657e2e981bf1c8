-- `settings` (env/settings.rs).
local E, G = ...
local expect, field = E.expect, E.field
local type, pairs, error, format, concat, sort, pcall = type, pairs, error, string.format, table.concat, table.sort, pcall

local details, values = {}, {}

-- A table goes through textutils as `save` would write it: no functions,
-- no cycles, no metatables, no shared parts.
local function reserialize(value)
  if type(value) ~= "table" then return value end
  local textutils = G.textutils
  return textutils.unserialize(textutils.serialize(value))
end

local function copy(value)
  if type(value) ~= "table" then return value end
  local result = {}
  for k, v in pairs(value) do result[k] = copy(v) end
  return result
end

local valid_types = { "number", "string", "boolean", "table" }
for _, v in ipairs(valid_types) do valid_types[v] = true end

local settings = {}

function settings.define(name, options)
  expect(1, "define", name, "string")
  expect(2, "define", options, "table", "nil")
  if options then
    options = {
      description = field(options, "description", "string", "nil"),
      default = reserialize(field(options, "default", "number", "string", "boolean", "table", "nil")),
      type = field(options, "type", "string", "nil"),
    }
    if options.type and not valid_types[options.type] then
      error(format("Unknown type %q. Expected one of %s.", options.type, concat(valid_types, ", ")), 2)
    end
  else
    options = {}
  end
  details[name] = options
end

function settings.undefine(name)
  expect(1, "undefine", name, "string")
  details[name] = nil
end

local function set_value(name, new)
  local old = values[name]
  if old == nil then
    local opt = details[name]
    old = opt and opt.default
  end
  values[name] = new
  local os = G.os
  if old ~= new and os and os.queueEvent then os.queueEvent("setting_changed", name, new, old) end
end

function settings.set(name, value)
  expect(1, "set", name, "string")
  expect(2, "set", value, "number", "string", "boolean", "table")
  local opt = details[name]
  if opt and opt.type then expect(2, "set", value, opt.type) end
  set_value(name, reserialize(value))
end

function settings.get(name, default)
  expect(1, "get", name, "string")
  local result = values[name]
  if result ~= nil then return copy(result) end
  if default ~= nil then return default end
  local opt = details[name]
  return opt and copy(opt.default)
end

function settings.getDetails(name)
  expect(1, "getDetails", name, "string")
  local deets = copy(details[name]) or {}
  deets.value = values[name]
  deets.changed = deets.value ~= nil
  if deets.value == nil then deets.value = deets.default end
  return deets
end

function settings.unset(name)
  expect(1, "unset", name, "string")
  set_value(name, nil)
end

function settings.clear()
  for name in pairs(values) do set_value(name, nil) end
end

function settings.getNames()
  local result, n = {}, 0
  for k in pairs(details) do n = n + 1; result[n] = k end
  for k in pairs(values) do
    if not details[k] then n = n + 1; result[n] = k end
  end
  sort(result)
  return result
end

function settings.load(path)
  expect(1, "load", path, "string", "nil")
  local file = G.fs.open(path or ".settings", "r")
  if not file then return false end
  local text = file.readAll()
  file.close()
  local loaded = G.textutils.unserialize(text)
  if type(loaded) ~= "table" then return false end
  for k, v in pairs(loaded) do
    local tv = type(v)
    if type(k) == "string" and (tv == "string" or tv == "number" or tv == "boolean" or tv == "table") then
      local opt = details[k]
      if not opt or not opt.type or tv == opt.type then
        local ok, value = pcall(reserialize, v)
        if ok then set_value(k, value) end
      end
    end
  end
  return true
end

function settings.save(path)
  expect(1, "save", path, "string", "nil")
  local file = G.fs.open(path or ".settings", "w")
  if not file then return false end
  file.write(G.textutils.serialize(values))
  file.close()
  return true
end

-- The settings CraftOS-PC's BIOS defines (name, default, type,
-- description), so getNames/getDetails/get answer as on a fresh computer.
local package_path = "?;?.lua;?/init.lua;/rom/modules/main/?;/rom/modules/main/?.lua;/rom/modules/main/?/init.lua"
local defaults = {
  { "shell.allow_startup", true, "boolean", "Run startup files when the computer starts." },
  { "shell.allow_disk_startup", true, "boolean", "Run startup files from disk drives when the computer starts." },
  { "shell.autocomplete", true, "boolean", "Complete program names and arguments in the shell." },
  { "edit.autocomplete", true, "boolean", "Complete API and function names in the editor." },
  { "lua.autocomplete", true, "boolean", "Complete API and function names in the Lua prompt." },
  { "edit.default_extension", "lua", "string", "The extension the editor adds when none is given (\"\" for none)." },
  { "paint.default_extension", "nfp", "string", "The extension paint adds when none is given (\"\" for none)." },
  { "list.show_hidden", false, "boolean", "Show hidden files (names starting with \".\") in list." },
  { "motd.enable", true, "boolean", "Show a message of the day when the computer starts." },
  { "motd.path", "/rom/motd.txt:/motd.txt", "string", "Where messages of the day come from: file paths separated by \":\"." },
  { "lua.warn_against_use_of_local", true, "boolean", "Warn when a Lua prompt line starts with 'local' (it is gone by the next line)." },
  { "lua.function_args", true, "boolean", "Show a function's arguments when printing it." },
  { "lua.function_source", false, "boolean", "Show where a function was defined when printing it." },
  { "bios.strict_globals", false, "boolean", "Refuse assignments to a program's globals (use local, or assign to _G)." },
  { "shell.autocomplete_hidden", false, "boolean", "Complete hidden files and folders (names starting with \".\")." },
  { "shell.package_path", package_path, "string", "Where require looks for libraries: patterns separated by \";\", relative to the program, \"?\" standing for the name." },
  { "shell.report_plugin_errors", true, "boolean", "Report plugins that failed to load at startup." },
  { "shell.mobile_resize_with_keyboard", true, "boolean", "Resize the shell when the on-screen keyboard opens or closes." },
  { "bios.use_cash", false, "boolean", "Use cash, a Bourne-style shell, instead of the default shell." },
}
for _, d in ipairs(defaults) do
  settings.define(d[1], { default = d[2], type = d[3], description = d[4] })
end

G.settings = settings

-- What the computer saved last time (CraftOS-PC's BIOS loads it at boot).
if G.fs and G.textutils and G.fs.exists(".settings") then
  settings.load(".settings")
end
