-- `term` (SEMANTICS X9): the native terminal's methods, forwarded to the
-- current redirect target, with `redirect`, `current` and `native` as CC's
-- term API has them.
local native = ...

local type, error, pairs, select, tostring = type, error, pairs, select, tostring
local concat = table.concat

local term = {}
local target = native

--- Make `t` the target of every term function; returns the previous one.
function term.redirect(t)
  if type(t) ~= "table" then
    error(("bad argument #1 to 'redirect' (table expected, got %s)"):format(type(t)), 2)
  end
  if t == term or t == _G.term then
    error("term is not a recommended redirect target, try term.current() instead", 2)
  end
  -- A target missing a method gets one that says so when called.
  for name, f in pairs(native) do
    if type(name) == "string" and type(f) == "function" and type(t[name]) ~= "function" then
      t[name] = function()
        error("Redirect object is missing method " .. name .. ".", 2)
      end
    end
  end
  local previous = target
  target = t
  return previous
end

--- The current redirect target.
function term.current()
  return target
end

--- The computer's own terminal.
function term.native()
  return native
end

-- nativePaletteColour belongs to term, not to the terminal objects.
for _, name in pairs({ "nativePaletteColour", "nativePaletteColor" }) do
  term[name] = native[name]
  native[name] = nil
end

-- Every other method goes to the current target (a tail call, so errors
-- name the script's line).
for name, f in pairs(native) do
  if type(f) == "function" and term[name] == nil then
    term[name] = function(...) return target[name](...) end
  end
end

_G.term = term

-- While term is redirected away from the native terminal, `write` and
-- `print` draw through term, word-wrapped, as CC's do; otherwise they are
-- the runner's own (straight to stdout).

local function wrapped_write(text)
  local w, h = term.getSize()
  local x, y = term.getCursorPos()
  local lines = 0
  local function newline()
    if y + 1 <= h then
      term.setCursorPos(1, y + 1)
    else
      term.setCursorPos(1, h)
      term.scroll(1)
    end
    x, y = term.getCursorPos()
    lines = lines + 1
  end
  local pos, len = 1, #text
  while pos <= len do
    local s, e = text:find("^[ \t]+", pos)
    if s then
      term.write(text:sub(s, e))
      x, y = term.getCursorPos()
      pos = e + 1
    end
    if text:sub(pos, pos) == "\n" then
      newline()
      pos = pos + 1
    end
    s, e = text:find("^[^ \t\n]+", pos)
    if s then
      local word = text:sub(s, e)
      pos = e + 1
      if #word > w then
        -- Longer than a line: break it wherever the line ends.
        while #word > 0 do
          if x > w then newline() end
          term.write(word)
          word = word:sub(w - x + 2)
          x, y = term.getCursorPos()
        end
      else
        if x + #word - 1 > w then newline() end
        term.write(word)
        x, y = term.getCursorPos()
      end
    end
  end
  return lines
end

local runner_write, runner_print = _G.write, _G.print

if type(runner_write) == "function" then
  _G.write = function(text)
    -- Checked here, before the tail call: on Lua 5.1 a tail call leaves a
    -- level with no position, which the runner's own check would name.
    local t = type(text)
    if t ~= "string" and t ~= "number" then
      error(("bad argument #1 to 'write' (string or number expected, got %s)"):format(t), 2)
    end
    if target == native then return runner_write(text) end
    return wrapped_write(tostring(text))
  end
end

if type(runner_print) == "function" then
  _G.print = function(...)
    if target == native then return runner_print(...) end
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    return wrapped_write(concat(parts, "\t") .. "\n")
  end
end
