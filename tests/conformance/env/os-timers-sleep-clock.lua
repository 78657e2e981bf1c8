--[==[case
clauses = ["X3"]
summary = "os.startTimer ids and due order, cancelTimer (no event), a timer of 0 after queued events, sleep waits and drops the events it skips, os.clock counts seconds since start"
stdout = '''
ids distinct numbers: true
queued first: queued
then timer 0: true
short before long: true true
cancelled timer never fired
sleep(0.3) waited enough: true
event queued before sleep is gone: after
clock advanced with sleep: true
ok
'''
]==]
local a, b = os.startTimer(0.01), os.startTimer(0.01)
print("ids distinct numbers: " .. tostring(type(a) == "number" and type(b) == "number" and a ~= b))
os.cancelTimer(a) os.cancelTimer(b)

local zero = os.startTimer(0)
os.queueEvent("queued")
print("queued first: " .. os.pullEvent())
local ev, id = os.pullEvent()
print("then timer 0: " .. tostring(ev == "timer" and id == zero))

local long = os.startTimer(0.3)
local short = os.startTimer(0.1)
local _, first = os.pullEvent("timer")
local _, second = os.pullEvent("timer")
print("short before long: " .. tostring(first == short) .. " " .. tostring(second == long))

local cancelled = os.startTimer(0.1)
local guard = os.startTimer(0.4)
os.cancelTimer(cancelled)
os.cancelTimer(123456) -- unknown ids are ignored
while true do
  local _, t = os.pullEvent("timer")
  assert(t ~= cancelled, "a cancelled timer fired")
  if t == guard then break end
end
print("cancelled timer never fired")

local c0, e0 = os.clock(), os.epoch("utc")
os.queueEvent("lost")
sleep(0.3)
local waited = os.epoch("utc") - e0
print("sleep(0.3) waited enough: " .. tostring(waited >= 290 and waited < 2000))
os.queueEvent("after")
print("event queued before sleep is gone: " .. os.pullEvent())
local dc = os.clock() - c0
print("clock advanced with sleep: " .. tostring(dc >= 0.29 and dc < 2))
assert(type(os.clock()) == "number" and os.clock() >= 0)
print("ok")
