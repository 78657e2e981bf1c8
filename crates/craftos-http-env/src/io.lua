-- `io` over fs and the computer's streams (env/io.rs), as CraftOS-PC's
-- ROM has it.
local E, G = ...
local expect = E.expect
local type, select, error, setmetatable, getmetatable, tostring, pcall =
  type, select, error, setmetatable, getmetatable, tostring, pcall
local pack = table.pack or function(...) return { n = select("#", ...), ... } end
local unpack = table.unpack or unpack

-- The runner's own stderr writer, if the BIOS made one (before it goes).
local old_io = G.io
local old_stderr = type(old_io) == "table" and old_io.stderr or nil

local File = {}
local meta = { __name = "FILE*", __index = File }
meta.__tostring = function(self)
  if self._closed then return "file (closed)" end
  return "file (" .. (tostring(self._handle):match("table: (.+)") or "?") .. ")"
end

local function make_file(handle) return setmetatable({ _handle = handle }, meta) end
local function is_file(v) return type(v) == "table" and getmetatable(v) == meta end

-- `self` must be an open file. `level` 3: the error is raised at the
-- caller of the function calling this; 4: one further out.
local function check(self, level)
  level = level or 3
  if not is_file(self) then error("bad argument #1 (FILE expected, got " .. type(self) .. ")", level) end
  if self._closed then error("attempt to use a closed file", level) end
  return self._handle
end

function File.close(self)
  local handle = check(self)
  if not handle.close then return nil, "attempt to close standard stream" end
  self._closed = true
  handle.close()
  return true
end

function File.flush(self)
  local handle = check(self)
  if handle.flush then handle.flush() end
  return true
end

-- file:read and io.read (each calls this directly: its errors are raised
-- at their caller, also on Lua 5.1, where a tail call would hide it).
local function read_from(self, ...)
  local handle = check(self, 4)
  if not handle.read and not handle.readLine then return nil, "Not opened for reading" end
  local n = select("#", ...)
  if n == 0 then
    if handle.readLine then return handle.readLine() end
    return nil
  end
  local out = {}
  for i = 1, n do
    local format = select(i, ...)
    local value
    if type(format) == "number" then
      if handle.read then value = handle.read(format) end
    elseif type(format) == "string" then
      local f = format:gsub("^%*", ""):sub(1, 1)
      if f == "l" then
        if handle.readLine then value = handle.readLine() end
      elseif f == "L" then
        if handle.readLine then value = handle.readLine(true) end
      elseif f == "a" then
        if handle.readAll then value = handle.readAll() or "" end
      elseif f ~= "n" then
        error("bad argument #" .. i .. " (invalid format)", 3)
      end
    else
      error("bad argument #" .. i .. " (string expected, got " .. type(format) .. ")", 3)
    end
    out[i] = value
    if not value then break end
  end
  return unpack(out, 1, n)
end

function File.read(self, ...)
  local r = pack(read_from(self, ...))
  return unpack(r, 1, r.n)
end

function File.lines(self, ...)
  local handle = check(self)
  if not handle.read and not handle.readLine then return nil, "file is not readable" end
  local formats = pack(...)
  return function()
    if self._closed then error("file is already closed", 2) end
    local r = pack(self:read(unpack(formats, 1, formats.n)))
    if r[1] == nil and self._autoclose and not self._closed then self:close() end
    return unpack(r, 1, r.n)
  end
end

function File.seek(self, whence, offset)
  local handle = check(self)
  if not handle.seek then return nil, "file is not seekable" end
  return handle.seek(whence, offset)
end

function File.setvbuf() end

-- file:write and io.write (called directly, as read_from).
local function write_to(self, ...)
  local handle = check(self, 4)
  if not handle.write then return nil, "file is not writable" end
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    local t = type(v)
    if t ~= "string" and t ~= "number" then
      error("bad argument #" .. i .. " to 'write' (string or number expected, got " .. E.display_type(v) .. ")", 3)
    end
    handle.write(v)
  end
  return self
end

function File.write(self, ...)
  local a, b = write_to(self, ...)
  return a, b
end

-- The standard streams: stdin lines through read(), stdout through write
-- (in order with print), stderr to the process's stderr.
local stdin = make_file({
  readLine = function(keep)
    local line = G.read()
    if line ~= nil and keep then line = line .. "\n" end
    return line
  end,
})
local stdout = make_file({ write = function(s) G.write(s) end })
local stderr = make_file({
  write = function(s)
    if old_stderr then old_stderr:write(s) else G.write(s) end
  end,
})
local input, output = stdin, stdout

local io = { stdin = stdin, stdout = stdout, stderr = stderr }

function io.open(path, mode)
  expect(1, "open", path, "string")
  expect(2, "open", mode, "string", "nil")
  local r = pack(pcall(G.fs.open, path, mode or "r"))
  if not r[1] then error(r[2], 2) end
  if not r[2] then return nil, r[3] end
  return make_file(r[2])
end

function io.lines(path, ...)
  expect(1, "lines", path, "string", "nil")
  if path == nil then return input:lines(...) end
  local file, err = io.open(path, "r")
  if not file then error(err, 2) end
  file._autoclose = true
  return file:lines(...)
end

function io.input(file)
  if type(file) == "string" then
    local f, err = io.open(file, "r")
    if not f then error(err, 2) end
    input = f
  elseif is_file(file) then
    input = file
  elseif file ~= nil then
    error("bad argument #1 (FILE expected, got " .. type(file) .. ")", 2)
  end
  return input
end

function io.output(file)
  if type(file) == "string" then
    local f, err = io.open(file, "wb")
    if not f then error(err, 2) end
    output = f
  elseif is_file(file) then
    output = file
  elseif file ~= nil then
    error("bad argument #1 (FILE expected, got " .. type(file) .. ")", 2)
  end
  return output
end

function io.close(file)
  if file == nil then file = output end
  if not is_file(file) then error("bad argument #1 (FILE expected, got " .. type(file) .. ")", 2) end
  if file._closed then error("attempt to use a closed file", 2) end
  local a, b = file:close()
  return a, b
end

function io.flush() return output:flush() end
function io.read(...)
  local r = pack(read_from(input, ...))
  return unpack(r, 1, r.n)
end

function io.write(...)
  local a, b = write_to(output, ...)
  return a, b
end

function io.type(obj)
  if is_file(obj) then return obj._closed and "closed file" or "file" end
  return nil
end

G.io = io
