--[==[case
clauses = ["X8", "X2", "G2"]
summary = "io as CraftOS-PC's ROM makes it, over fs: open (nil, message as fs.open), read formats l/L/a/count, lines (io.lines closes at the end), write returns the file, seek, close; io.write/io.read are the computer's stdout and stdin; io.output/io.input switch them; nothing of the host's io is left"
stdout = '''
to stdout 42
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises, raises_bare = A.eq, A.returns, A.raises, A.raises_bare
local D = "fs-tmp-io"
fs.delete(D)

local f = assert(io.open(D .. "/a.txt", "w"))
eq("type", io.type(f), "file")
eq("tostring", tostring(f):match("^file %("), "file (")
eq("write returns the file", f:write("one\n", 2, "\nthree"), f)
eq("close", f:close(), true)
eq("type closed", io.type(f), "closed file")
eq("tostring closed", tostring(f), "file (closed)")
raises("closed", function() f:write("x") end, "attempt to use a closed file")
eq("io.type of other values", io.type({}), nil)

f = io.open(D .. "/a.txt")
eq("read l (default)", f:read(), "one")
eq("read L", f:read("L"), "2\n")
eq("read count", f:read(2), "th")
eq("read a", f:read("*a"), "ree")
eq("read a at the end", f:read("a"), "")
returns("read l at the end", { n = 1 }, f.read, f, "l")
eq("seek", f:seek("set", 4), 4)
eq("several formats", table.concat({ f:read("l", 1) }, "|"), "2|t")
raises("bad format", function() f:read("x") end, "bad argument #1 (invalid format)")
f:close()

local lines = {}
for line in io.lines(D .. "/a.txt") do lines[#lines + 1] = line end
eq("io.lines", table.concat(lines, ","), "one,2,three")
f = io.open(D .. "/a.txt")
local n = 0
for _ in f:lines() do n = n + 1 end
eq("file:lines leaves it open", io.type(f), "file")
f:close()

returns("open missing", { n = 2, nil, "/" .. D .. "/none.txt: No such file" }, io.open, D .. "/none.txt")
returns("open a directory", { n = 2, nil, "/" .. D .. ": Not a file" }, io.open, D, "r")
raises("open mode", function() io.open(D .. "/a.txt", "q") end, "q: Unsupported mode")
raises("open type", function() io.open(nil) end, "bad argument #1 to 'open' (string expected, got nil)")
raises("lines missing", function() io.lines(D .. "/none.txt") end, "/" .. D .. "/none.txt: No such file")
returns("open in rom for writing", { n = 2, nil, "/rom/x: Access denied" }, io.open, "rom/x", "w")
eq("read from rom", io.open("rom/modules/main/cc/strings.lua"):read(2), "--")

io.write("to stdout ", 42, "\n")
eq("io.write returns stdout", io.write(), io.stdout)
raises("io.write type", function() io.write({}) end, "bad argument #1 to 'write' (string or number expected, got table)")
returns("closing stdout", { n = 2, nil, "attempt to close standard stream" }, io.stdout.close, io.stdout)

local out = io.output(D .. "/out.txt")
io.write("captured")
eq("io.output", io.output(), out)
io.close()
io.output(io.stdout)
io.input(D .. "/out.txt")
eq("io.input / io.read", io.read("a"), "captured")
io.input(io.stdin)
raises("io.input type", function() io.input(5) end, "bad argument #1 (FILE expected, got number)")

for _, name in ipairs({ "popen", "tmpfile" }) do eq("no io." .. name, io[name], nil) end
fs.delete(D)
print("ok")
