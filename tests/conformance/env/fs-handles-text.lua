--[==[case
clauses = ["X8"]
summary = "text handles as CraftOS-PC's: write/writeLine (numbers as tostring, nil ignored), readLine (\\r\\n and trailing), read/read(n)/read(0), readAll, nothing at the end, seek, shared position, closed handles"
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %q, want %q"):format(what, tostring(got), tostring(want)), 2) end
end
-- f must raise exactly `msg`, as a string with this script's position (G2)
local function raises(what, f, msg)
  local ok, e = pcall(f)
  if ok then error(what .. ": no error", 2) end
  if type(e) ~= "string" then error(what .. ": error is a " .. type(e), 2) end
  local prefix = e:sub(1, #e - #msg)
  if e:sub(-#msg) ~= msg or not prefix:match("fs%-[%w%-]+%.lua:%d+: $") then
    error(("%s: got %q, want <position>: %q"):format(what, e, msg), 2)
  end
end
-- f(...) must return exactly nil, msg
local function fails(what, msg, f, ...)
  local n = select("#", f(...))
  local a, b = f(...)
  if a ~= nil or b ~= msg or n ~= 2 then
    error(("%s: got %s, %q, want nil, %q"):format(what, tostring(a), tostring(b), msg), 2)
  end
end
local D = "fs-tmp-handles-text"
fs.delete(D)
local h = fs.open(D .. "/a.txt", "w")
eq("handle type", type(h), "table")
eq("no read on w", h.read, nil) eq("no readLine on w", h.readLine, nil) eq("no readAll on w", h.readAll, nil)
eq("has seek", type(h.seek), "function")
h.write("one") h.write(2) h.write(nil) h.writeLine(" two") h.writeLine(3.5)
h.writeLine() h.write(nil) h.write("\n") h.write("crlf\r\n") h.write("last")
h:write("!")                         -- a colon call works too (G1 [ext])
eq("write returns nothing", select("#", h.write("")), 0)
h.flush()
eq("flushed size", fs.getSize(D .. "/a.txt"), 25)
eq("close returns nothing", select("#", h.close()), 0)
raises("close twice", function() h.close() end, "attempt to use a closed file")
raises("write closed", function() h.write("x") end, "attempt to use a closed file")
raises("writeLine closed", function() h.writeLine("x") end, "attempt to use a closed file")
raises("flush closed", function() h.flush() end, "attempt to use a closed file")
raises("seek closed", function() h.seek("set", 0) end, "attempt to use a closed file")

h = fs.open(D .. "/a.txt", "r")
eq("no write on r", h.write, nil) eq("no flush on r", h.flush, nil)
eq("line 1", h.readLine(), "one2 two")
eq("line 2 with trailing", h.readLine(true), "3.5\n")
eq("empty line", h.readLine(), "")
eq("\\r stripped", h.readLine(), "crlf")
eq("last line has no newline", h:readLine(true), "last!")
eq("readLine at end: nothing", select("#", h.readLine()), 0)
eq("read at end: nothing", select("#", h.read()), 0)
eq("readAll at end", h.readAll(), "")
eq("seek set", h.seek("set", 0), 0)
eq("read() one char", h.read(), "o")
eq("read(3)", h.read(3), "ne2")
eq("read(0)", h.read(0), "")
eq("seek() is cur", h.seek(), 4)
eq("seek cur", h.seek("cur", 2), 6)
eq("read after seek", h.read(2), "wo")
eq("seek end", h.seek("end"), 25)
eq("seek end -5", h.seek("end", -5), 20)
eq("readAll rest", h.readAll(), "last!")
h.seek("set", 10)
eq("read(n) past the end", h.read(100), ".5\n\ncrlf\r\nlast!")
eq("then nothing", select("#", h.read(1)), 0)
eq("read(0) at end: nothing", select("#", h.read(0)), 0)
h.seek("set", 0)
eq("readAll", h.readAll(), "one2 two\n3.5\n\ncrlf\r\nlast!")
h.close()
raises("read closed", function() h.read() end, "attempt to use a closed file")
raises("readLine closed", function() h.readLine() end, "attempt to use a closed file")
raises("readAll closed", function() h.readAll() end, "attempt to use a closed file")

-- append, and r+/w+ share one position between reads and writes
h = fs.open(D .. "/a.txt", "a") h.write("+more") h.close()
h = fs.open(D .. "/a.txt", "r") eq("appended", h.readAll(), "one2 two\n3.5\n\ncrlf\r\nlast!+more") h.close()
h = fs.open(D .. "/b.txt", "a") h.writeLine("created by a") h.close()
eq("a creates", fs.open(D .. "/b.txt", "r").readAll(), "created by a\n")
h = fs.open(D .. "/b.txt", "r+")
eq("r+ reads", h.read(7), "created")
h.write("!!") h.close()
eq("r+ wrote in place", fs.open(D .. "/b.txt", "r").readAll(), "created!!y a\n")
h = fs.open(D .. "/b.txt", "w+")
eq("w+ truncates", h.readAll(), "")
h.write("fresh") eq("w+ position", h.seek(), 5) h.seek("set", 0)
eq("w+ reads back", h.read(5), "fresh") h.close()
-- w truncates
h = fs.open(D .. "/b.txt", "w") h.close()
eq("w truncated", fs.getSize(D .. "/b.txt"), 0)
-- a handle dropped without close is closed when collected
h = fs.open(D .. "/c.txt", "w") h.write("collected") h = nil
collectgarbage() collectgarbage()
eq("collected handle flushed", fs.open(D .. "/c.txt", "r").readAll(), "collected")
fs.delete(D)
eq("cleaned", fs.exists(D), false)
print("ok")
