--[==[case
clauses = ["X17", "X18", "X3"]
summary = "events waiting to be taken hold no Lua stack slots: 20000 timers due at once and 16384 queued events of 70 values each (over a million values) all arrive whole, in order, on every Lua version (Lua 5.1 and LuaJIT cap a C stack at 8000 slots)"
ext = ["X17", "X18"]
timeout = 60
stdout = '''
20000 timers
16384 events of 70 values
'''
]==]
local first = os.startTimer(0)
for _ = 2, 20000 do os.startTimer(0) end
local n = 0
while n < 20000 do
  local ev, id = os.pullEventRaw()
  if ev ~= "timer" or id ~= first + n then
    error(("event %d: %s %s"):format(n + 1, tostring(ev), tostring(id)))
  end
  n = n + 1
end
print(n .. " timers")

local values = {}
for i = 1, 69 do values[i] = i end
values[35] = nil -- a hole: nil values are kept too
local unpack = table.unpack or unpack
for i = 1, 16384 do os.queueEvent("e", unpack(values, 1, 69)) end
local got = 0
while got < 16384 do
  local packed = { os.pullEventRaw() }
  if packed[1] ~= "e" or packed[2] ~= 1 or packed[35] ~= 34 or packed[36] ~= nil
    or packed[70] ~= 69 then
    error(("event %d: %s %s %s"):format(got + 1, tostring(packed[1]), tostring(packed[2]),
      tostring(packed[70])))
  end
  got = got + 1
end
print(got .. " events of 70 values")
