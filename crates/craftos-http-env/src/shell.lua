-- `shell` (env/shell.rs): CraftOS-PC's shell API for the computer's one
-- program and the programs it runs with shell.run.
local E, G, make_package, load, program, program_args = ...
local expect = E.expect
local type, error, pcall, select, pairs, setmetatable, getmetatable, tostring =
  type, error, pcall, select, pairs, setmetatable, getmetatable, tostring
local sub, find, gmatch, concat, sort, insert, remove =
  string.sub, string.find, string.gmatch, table.concat, table.sort, table.insert, table.remove
local unpack = table.unpack or unpack

local fs = G.fs
local shell = {}
local dir = ""
local path = ".:/rom/programs:/rom/programs/http"
local aliases = {}
local completion = {}
local stack = {}
if program then stack[1] = program end

local function print_error(message)
  local printError = G.printError
  if printError then printError(message) end
end

-- A program's own globals: the shell, and require/package from its dir.
local function program_env(at)
  local env = { shell = shell, multishell = G.multishell }
  env.require, env.package = make_package(env, at)
  return env
end

-- Words of a command line; "quoted text" is one word.
local function tokenise(...)
  local line = concat({ ... }, " ")
  local words, quoted = {}, false
  for part in gmatch(line .. "\"", "(.-)\"") do
    if quoted then
      words[#words + 1] = part
    else
      for word in gmatch(part, "[^ \t]+") do words[#words + 1] = word end
    end
    quoted = not quoted
  end
  return words
end

local function execute_program(depth, file_path, args)
  local file, err = fs.open(file_path, "r")
  if not file then
    print_error(err)
    return false
  end
  local first = file.readLine() or ""
  if sub(first, 1, 2) == "#!" then
    file.close()
    depth = depth - 1
    if depth == 0 then
      print_error("Hashbang recursion depth limit reached when loading file: " .. file_path)
      return false
    end
    local hashbang = tokenise(sub(first, 3))
    local interpreter = remove(hashbang, 1)
    local resolved = interpreter and shell.resolveProgram(interpreter)
    if not resolved then
      print_error("Hashbang program not found: " .. tostring(interpreter))
      return false
    end
    hashbang[#hashbang + 1] = file_path
    for i = 1, #args do hashbang[#hashbang + 1] = args[i] end
    hashbang[0] = interpreter
    return execute_program(depth, resolved, hashbang)
  end
  local contents = first .. "\n" .. (file.readAll() or "")
  file.close()

  local env = setmetatable(program_env(fs.getDir(file_path)), { __index = G })
  env.arg = args
  local fn, load_err = load(contents, "@/" .. fs.combine(file_path), nil, env)
  if not fn then
    print_error(load_err)
    return false
  end
  local settings = G.settings
  if settings and settings.get("bios.strict_globals", false) then
    getmetatable(env).__newindex = function(_, name)
      error("Attempt to create global " .. tostring(name), 2)
    end
  end
  local ok, failure = pcall(fn, unpack(args, 1, #args))
  if ok then return true end
  if failure and failure ~= "" then print_error(failure) end
  return false
end

function shell.execute(command, ...)
  expect(1, "execute", command, "string")
  for i = 1, select("#", ...) do
    expect(i + 1, "execute", (select(i, ...)), "string")
  end
  local resolved = shell.resolveProgram(command)
  if not resolved then
    print_error("No such program")
    return false
  end
  stack[#stack + 1] = resolved
  local result = execute_program(100, resolved, { [0] = command, ... })
  stack[#stack] = nil
  return result
end

function shell.run(...)
  local words = tokenise(...)
  if words[1] then return shell.execute(words[1], unpack(words, 2)) end
  return false
end

-- Nothing to leave: the computer ends when its program does.
function shell.exit() end

function shell.dir() return dir end

function shell.setDir(new_dir)
  expect(1, "setDir", new_dir, "string")
  if not fs.isDir(new_dir) then error("Not a directory", 2) end
  dir = fs.combine(new_dir, "")
end

function shell.path() return path end

function shell.setPath(new_path)
  expect(1, "setPath", new_path, "string")
  path = new_path
end

function shell.resolve(p)
  expect(1, "resolve", p, "string")
  local c = sub(p, 1, 1)
  if c == "/" or c == "\\" then return fs.combine("", p) end
  return fs.combine(dir, p)
end

local function file_at(p)
  return fs.exists(p) and not fs.isDir(p)
end

-- `p` or `p.lua`, whichever is a file.
local function program_at(p)
  if file_at(p) then return p end
  local c = sub(p, -1)
  if c == "/" or c == "\\" then p = sub(p, 1, -2) end
  local with_lua = p .. ".lua"
  if file_at(with_lua) then return with_lua end
  return nil
end

function shell.resolveProgram(command)
  expect(1, "resolveProgram", command, "string")
  if aliases[command] ~= nil then command = aliases[command] end
  if find(command, "/", 1, true) or find(command, "\\", 1, true) then
    return program_at(shell.resolve(command))
  end
  for entry in gmatch(path, "[^:]+") do
    local found = program_at(fs.combine(shell.resolve(entry), command))
    if found then return found end
  end
  return nil
end

function shell.programs(include_hidden)
  expect(1, "programs", include_hidden, "boolean", "nil")
  local seen = {}
  for entry in gmatch(path, "[^:]+") do
    local at = shell.resolve(entry)
    if fs.isDir(at) then
      for _, name in ipairs(fs.list(at)) do
        if not fs.isDir(fs.combine(at, name)) and (include_hidden or sub(name, 1, 1) ~= ".") then
          if #name > 4 and sub(name, -4) == ".lua" then name = sub(name, 1, -5) end
          seen[name] = true
        end
      end
    end
  end
  local list = {}
  for name in pairs(seen) do list[#list + 1] = name end
  sort(list)
  return list
end

local function complete_program(line)
  local settings = G.settings
  local hidden = settings and settings.get("shell.autocomplete_hidden")
  if #line > 0 and (find(line, "/", 1, true) or find(line, "\\", 1, true)) then
    return fs.complete(line, dir, { include_files = true, include_dirs = false, include_hidden = hidden })
  end
  local results, seen = {}, {}
  local function add(candidate)
    if #candidate > #line and sub(candidate, 1, #line) == line then
      local rest = sub(candidate, #line + 1)
      if not seen[rest] then
        results[#results + 1] = rest
        seen[rest] = true
      end
    end
  end
  for alias in pairs(aliases) do add(alias) end
  for _, d in ipairs(fs.complete(line, dir, { include_files = false, include_dirs = false, include_hidden = hidden })) do
    if not seen[d] then
      results[#results + 1] = d
      seen[d] = true
    end
  end
  for _, p in ipairs(shell.programs()) do add(p) end
  sort(results)
  return results
end

function shell.complete(line)
  expect(1, "complete", line, "string")
  if #line == 0 then return nil end
  local words = tokenise(line)
  local index = #words
  if sub(line, -1) == " " then index = index + 1 end
  if index == 1 then
    local first = words[1] or ""
    if completion[shell.resolveProgram(first) or ""] then return { " " } end
    local results = complete_program(first)
    for i = 1, #results do
      if completion[shell.resolveProgram(first .. results[i]) or ""] then results[i] = results[i] .. " " end
    end
    return results
  elseif index > 1 then
    local info = completion[shell.resolveProgram(words[1]) or ""]
    local part = words[index] or ""
    words[index] = nil
    if info then return info.fnComplete(shell, index - 1, part, words) end
  end
  return nil
end

function shell.completeProgram(prefix)
  expect(1, "completeProgram", prefix, "string")
  return complete_program(prefix)
end

function shell.setCompletionFunction(program_path, fn)
  expect(1, "setCompletionFunction", program_path, "string")
  expect(2, "setCompletionFunction", fn, "function")
  completion[program_path] = { fnComplete = fn }
end

function shell.getCompletionInfo() return completion end

function shell.getRunningProgram()
  return stack[#stack]
end

function shell.setAlias(command, target)
  expect(1, "setAlias", command, "string")
  expect(2, "setAlias", target, "string")
  aliases[command] = target
end

function shell.clearAlias(command)
  expect(1, "clearAlias", command, "string")
  aliases[command] = nil
end

function shell.aliases()
  local copy = {}
  for k, v in pairs(aliases) do copy[k] = v end
  return copy
end

-- The computer's own program: these globals are its environment's.
G.shell = shell
if program then
  program_args[0] = program
  G.arg = program_args
end
