-- The runner's ComputerCraft basics, over the natives in `runner/os.rs`:
-- the event functions, printing and `parallel` (SEMANTICS X2, X3, X5).
local native = ...

local type, select, tostring, error, coroutine, table = type, select, tostring, error, coroutine, table
local yield = coroutine.yield
local pack = table.pack or function(...) return { n = select("#", ...), ... } end
local unpack = table.unpack or unpack

-- LuaJIT runs no debug hook inside compiled code: a compiled loop that
-- never yields does not see "Too long without yielding". The JIT stays on
-- (it is why LuaJIT is chosen); a script that wants the guard everywhere
-- calls jit.off().

local function expect(n, fname, value, ...)
  local t = type(value)
  for i = 1, select("#", ...) do
    if t == select(i, ...) then return value end
  end
  local names = table.concat({ ... }, " or ")
  error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, names, t), 3)
end

-- Events (X3) ------------------------------------------------------------

-- Alarms (os.setAlarm) are timers set for the in-game time: the pull
-- functions turn such a timer's event into `alarm, id`. While one is
-- pending they filter in Lua (the runner's own filter would drop the timer
-- event a wait for "alarm" needs); with none, a wait is the bare yield.
local alarms, alarm_count = {}, 0

local function pull_with_alarms(filter)
  while alarm_count > 0 do
    local ev = pack(yield(nil))
    if ev[1] == "timer" and alarms[ev[2]] then
      alarms[ev[2]] = nil
      alarm_count = alarm_count - 1
      ev[1] = "alarm"
    end
    if filter == nil or ev[1] == filter or ev[1] == "terminate" then
      return unpack(ev, 1, ev.n)
    end
  end
  return yield(filter)
end

function os.pullEventRaw(filter)
  if filter ~= nil and type(filter) ~= "string" then expect(1, "pullEventRaw", filter, "string", "nil") end
  if alarm_count == 0 then return yield(filter) end
  return pull_with_alarms(filter)
end

local function check_terminate(ev, ...)
  if ev == "terminate" then error("Terminated", 0) end
  return ev, ...
end

function os.pullEvent(filter)
  if filter ~= nil and type(filter) ~= "string" then expect(1, "pullEvent", filter, "string", "nil") end
  if alarm_count == 0 then return check_terminate(yield(filter)) end
  return check_terminate(pull_with_alarms(filter))
end

-- os.setAlarm(time): an `alarm` event when the in-game clock (os.time())
-- next reads `time` (0 <= time < 24; 50 real seconds per in-game hour), as
-- CraftOS-PC sets it; its id comes from the timers' ids.
do
  local time, start_timer, cancel_timer = os.time, os.startTimer, os.cancelTimer
  function os.setAlarm(at)
    expect(1, "setAlarm", at, "number")
    if not (at >= 0 and at < 24) then error("Number out of range", 2) end
    local now = time()
    local hours = at >= now and at - now or at + 24 - now
    local id = start_timer(hours * 50)
    alarms[id] = true
    alarm_count = alarm_count + 1
    return id
  end

  function os.cancelAlarm(id)
    expect(1, "cancelAlarm", id, "number")
    if alarms[id] then
      alarms[id] = nil
      alarm_count = alarm_count - 1
      cancel_timer(id)
    end
  end
end

-- os.about(): what this computer is, as CraftOS-PC's names itself.
function os.about()
  local version = type(_HOST) == "string" and _HOST:match("craftos%-http ([^)]+)") or "?"
  return "craftos-http " .. version .. "\n\n" ..
    "A ComputerCraft computer with CraftOS-PC's HTTP and WebSocket server API,\n" ..
    "for server scripts outside an emulator.\n\n" ..
    "craftos-http is licensed under the MIT License."
end

function sleep(time)
  expect(1, "sleep", time, "number", "nil")
  local timer = os.startTimer(time or 0)
  repeat
    local _, id = os.pullEvent("timer")
  until id == timer
end
os.sleep = sleep

-- Output (X2) -------------------------------------------------------------

local stdout, stderr = native.stdout, native.stderr

local function count_lines(s)
  local _, n = s:gsub("\n", "")
  return n
end

function write(text)
  expect(1, "write", text, "string", "number")
  text = tostring(text)
  stdout(text)
  return count_lines(text)
end

function print(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  local text = table.concat(parts, "\t") .. "\n"
  stdout(text)
  return count_lines(text)
end

-- Write strings and numbers with `write_fn` as io.write does; errors name
-- the caller of the caller (level 3).
local function write_values(write_fn, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    local t = type(v)
    if t ~= "string" and t ~= "number" then
      error(("bad argument #%d to 'write' (string expected, got %s)"):format(i, t), 3)
    end
    write_fn(tostring(v))
  end
end

-- io.write shares stdout with print: route it through the same writer so
-- their output never interleaves out of order.
if io then
  function io.write(...)
    write_values(stdout, ...)
    return io.stdout
  end
end

function printError(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  stderr(table.concat(parts, "\t") .. "\n")
end

-- read() (X2): a line from stdin, waiting in this coroutine while the others
-- run; at end of input it waits forever, as CC's read() never returns nil.
-- A prompt written without a newline is shown before read() waits.
local stdin_take, flush_stdout = native.stdinTake, native.flushStdout

function read(replaceChar, history, completeFn, default)
  expect(1, "read", replaceChar, "string", "nil")
  while true do
    local line = stdin_take()
    if line then return line end
    flush_stdout()
    os.pullEvent()
  end
end

if io then
  function io.read(format)
    if format ~= nil and format ~= "l" and format ~= "*l" and format ~= "L" and format ~= "*L" then
      error("bad argument #1 to 'read' (invalid format)", 2)
    end
    local line = read()
    if format == "L" or format == "*L" then line = line .. "\n" end
    return line
  end
end

-- io.stdout / io.stderr / io.stdin are CC-style handles over the same
-- writers and read(), not the host's FILE*s: output stays in order with
-- print, and closing them cannot close the process's streams.
if io then
  local function handle(write_fn, read_fn)
    local h = {}
    function h:write(...)
      write_values(write_fn, ...)
      return self
    end
    function h:read(format) return read_fn(format) end
    function h:lines() return function() return read_fn() end end
    function h:flush() flush_stdout() return self end
    function h:close() return nil, "attempt to close standard file" end
    function h:seek() return nil, "Illegal seek" end
    function h:setvbuf() return true end
    return setmetatable(h, { __name = "FILE*", __tostring = function() return "file (std)" end })
  end
  local function no_read() return nil end
  io.stdout = handle(stdout, no_read)
  io.stderr = handle(stderr, no_read)
  io.stdin = handle(function() error("attempt to write to stdin", 3) end, function(f) return io.read(f) end)
end

-- Nothing reaches the host's files or processes except through `fs` (X8).
if os then
  os.execute, os.exit, os.remove, os.rename, os.tmpname, os.getenv = nil, nil, nil, nil, nil, nil
end
if io then
  io.open, io.popen, io.lines, io.input, io.output, io.tmpfile, io.close = nil, nil, nil, nil, nil, nil, nil
end
package, require, dofile, loadfile = nil, nil, nil, nil

-- parallel (X5) -----------------------------------------------------------

parallel = {}

local function create(...)
  local fns = pack(...)
  local routines = {}
  for i = 1, fns.n do
    local fn = fns[i]
    if type(fn) ~= "function" then
      error(("bad argument #%d (function expected, got %s)"):format(i, type(fn)), 3)
    end
    routines[i] = coroutine.create(fn)
  end
  return routines, fns.n
end

-- Run `routines` until no more than `limit` are alive; every event goes to
-- every routine whose filter matches, `terminate` to all.
local function run(routines, count, limit)
  if count < 1 then return 0 end
  local living = count
  local filters = {}
  local event = { n = 0 }
  while true do
    for i = 1, count do
      local r = routines[i]
      if r then
        local filter = filters[r]
        if filter == nil or filter == event[1] or event[1] == "terminate" then
          local ok, param = coroutine.resume(r, unpack(event, 1, event.n))
          if not ok then error(param, 0) end
          filters[r] = param
          if coroutine.status(r) == "dead" then
            routines[i] = nil
            living = living - 1
            if living <= limit then return i end
          end
        end
      end
    end
    -- As CC: look again for routines that died (one resumed by another
    -- routine, not by this loop) before waiting for the next event.
    for i = 1, count do
      local r = routines[i]
      if r and coroutine.status(r) == "dead" then
        routines[i] = nil
        living = living - 1
        if living <= limit then return i end
      end
    end
    event = pack(os.pullEventRaw())
  end
end

-- Both return the index of the function whose end ended the wait, as CC's
-- runUntilLimit does (waitForAny: the first to finish; waitForAll: the
-- last), or 0 when given no function.
function parallel.waitForAny(...)
  local routines, count = create(...)
  return run(routines, count, count - 1)
end

function parallel.waitForAll(...)
  local routines, count = create(...)
  return run(routines, count, 0)
end

-- os.getComputerLabel (X4): no value at all when there is no label, as
-- CraftOS-PC and CC return (so print(os.getComputerLabel()) prints "").
do
  local get_label = os.getComputerLabel
  function os.getComputerLabel()
    local label = get_label()
    if label ~= nil then return label end
  end
  os.computerLabel = os.getComputerLabel
end

-- os.shutdown (X1): end the run with status 0 once the script yields.
function os.shutdown()
  native.shutdown()
  while true do yield() end
end
os.reboot = os.shutdown
