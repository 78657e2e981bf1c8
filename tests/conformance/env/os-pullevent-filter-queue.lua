--[==[case
clauses = ["X3"]
summary = "os.queueEvent keeps order and every value (nil holes, tables); os.pullEvent(filter) discards the events it skips; terminate passes any filter: pullEvent raises 'Terminated' (no position), pullEventRaw returns it"
stdout = '''
b	2	x
a	3
c	nil	5	nil	n=4
same table: true
first	second	third
raw: terminate
Terminated	string
after: z
ok
'''
]==]
os.queueEvent("a", 1)
os.queueEvent("b", 2, "x")
os.queueEvent("a", 3)
-- "a" 1 is skipped (and lost) while waiting for "b"
print(os.pullEvent("b"))
print(os.pullEvent())

local function pack(...) return { n = select("#", ...), ... } end
os.queueEvent("c", nil, 5, nil)
local e = pack(os.pullEvent())
print(e[1], e[2], e[3], e[4], "n=" .. e.n)

local t = {}
os.queueEvent("t", t)
local _, got = os.pullEventRaw("t")
print("same table: " .. tostring(got == t))

os.queueEvent("first")
os.queueEvent("second")
os.queueEvent("third")
print((os.pullEvent()), (os.pullEvent()), (os.pullEvent()))

os.queueEvent("terminate")
print("raw: " .. os.pullEventRaw("other"))

os.queueEvent("y")
os.queueEvent("terminate")
os.queueEvent("z")
local ok, err = pcall(os.pullEvent, "z")
print(err, type(err))
assert(not ok)
print("after: " .. os.pullEvent())
print("ok")
