--[==[case
clauses = ["X8", "G5"]
summary = "binary handles (rb wb ab): every byte 0-255 round-trips, write(n) writes one byte (n & 255), read() returns numbers, read(n) strings, readAll; text mode reads the same bytes"
files = ["fs-assert.lib"]
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
local D = "fs-tmp-handles-binary"
fs.delete(D)
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local h = fs.open(D .. "/bytes.bin", "wb")
eq("no read on wb", h.read, nil)
for i = 0, 255 do h.write(i) end
h.write(all)
h.write(256 + 65) h.write(-1) h.write(66.9) h.write("")
h.writeLine("line")
h.close()
eq("size", fs.getSize(D .. "/bytes.bin"), 256 + 256 + 3 + 5)
h = fs.open(D .. "/bytes.bin", "rb")
eq("no write on rb", h.write, nil)
for i = 0, 255 do
  local b = h.read()
  if b ~= i then error(("byte %d read as %s"):format(i, tostring(b))) end
end
eq("read(n) is a string", h.read(256), all)
eq("masked", h.read(), 65) eq("-1", h.read(), 255) eq("66.9", h.read(), 66)
eq("readLine in rb", h.readLine(true), "line\n")
eq("read at end: nothing", select("#", h.read()), 0)
eq("read(n) at end: nothing", select("#", h.read(4)), 0)
h.seek("set", 0)
local whole = h.readAll()
eq("readAll length", #whole, 520)
eq("readAll bytes", whole:sub(257, 512), all)
h.close()
-- text mode sees the same bytes (no translation)
h = fs.open(D .. "/bytes.bin", "r")
eq("text read() is a 1-char string", h.read(), "\0")
h.seek("set", 256)
eq("text read(n)", h.read(256), all)
h.close()
-- ab appends bytes
h = fs.open(D .. "/bytes.bin", "ab") h.write(0) h.write("\255\0") h.close()
h = fs.open(D .. "/bytes.bin", "rb") h.seek("end", -3)
eq("appended", h.readAll(), "\0\255\0") h.close()
-- NUL bytes inside text
h = fs.open(D .. "/nul.txt", "w") h.write("a\0b\0\n\0") h.close()
h = fs.open(D .. "/nul.txt", "r")
eq("NUL in a line", h.readLine(), "a\0b\0")
eq("NUL after newline", h.readAll(), "\0")
h.close()
-- r+b / w+b
h = fs.open(D .. "/nul.txt", "r+b")
eq("r+b reads numbers", h.read(), 97) h.write(66) h.seek("set", 0)
eq("r+b wrote", h.read(3), "aBb") h.close()
h = fs.open(D .. "/nul.txt", "w+b") h.write(1) h.seek("set", 0) eq("w+b", h.read(), 1) h.close()
fs.delete(D)
print("ok")
