-- fs.complete(path, location[, include_files[, include_dirs]]) or
-- fs.complete(path, location, { include_files, include_dirs,
-- include_hidden }), as CraftOS-PC's ROM adds it to `fs`: the rest of every
-- name in the directory `path` points into (relative to `location`) that
-- starts as `path` ends. A directory comes twice, with and without a `/`
-- (only with it when `include_dirs` is false); hidden names (a leading
-- ".") only when `include_hidden` is not false or the typed part starts
-- with ".". Calls `fs.list`/`fs.isDir` as they are when it runs.
local fs, helpers = ...
local type, select, error, format, concat = type, select, error, string.format, table.concat
local sub, find = string.sub, string.find

-- The environment's shared argument check (expect.lua).
local expect = helpers.expect

local function field(tbl, key)
  local value = tbl[key]
  if value ~= nil and type(value) ~= "boolean" then
    error(format("bad field '%s' (boolean expected, got %s)", key, type(value)), 3)
  end
  return value
end

function fs.complete(path, location, include_files, include_dirs)
  expect(1, "complete", path, "string")
  expect(2, "complete", location, "string")
  local include_hidden
  if type(include_files) == "table" then
    include_dirs = field(include_files, "include_dirs")
    include_hidden = field(include_files, "include_hidden")
    include_files = field(include_files, "include_files")
  else
    expect(3, "complete", include_files, "boolean", "nil")
    expect(4, "complete", include_dirs, "boolean", "nil")
  end
  include_hidden = include_hidden ~= false
  include_files = include_files ~= false
  include_dirs = include_dirs ~= false

  -- The directory the typed path points into, and the part being typed.
  local dir, start = location, 1
  if find(path, "^[/\\]") then dir, start = "", 2 end
  local name
  while not name do
    local slash = find(path, "[/\\]", start)
    if slash then
      dir = fs.combine(dir, sub(path, start, slash - 1))
      start = slash + 1
    else
      name = sub(path, start)
    end
  end

  if not fs.isDir(dir) then return {} end
  local results = {}
  if include_dirs and path == "" then results[#results + 1] = "." end
  if dir ~= "" then
    if path == "" then
      results[#results + 1] = include_dirs and ".." or "../"
    elseif path == "." then
      results[#results + 1] = include_dirs and "." or "./"
    end
  end
  for _, file in ipairs(fs.list(dir)) do
    if #file >= #name and sub(file, 1, #name) == name
      and (include_hidden or sub(file, 1, 1) ~= "." or sub(name, 1, 1) == ".") then
      local rest = sub(file, #name + 1)
      if fs.isDir(fs.combine(dir, file)) then
        results[#results + 1] = rest .. "/"
        if include_dirs and #rest > 0 then results[#results + 1] = rest end
      elseif include_files and #rest > 0 then
        results[#results + 1] = rest
      end
    end
  end
  return results
end
