--[==[case
clauses = ["X17", "X3"]
summary = "at most 16384 events queued with os.queueEvent and not yet taken: the ones past it are dropped (a warning on stderr), those queued keep their order, a timer still comes after them, and once taken there is room again"
ext = ["X17"]
stdout = '''
16384 events, then the timer
again
'''
stderr_contains = ["more than 16384 events queued: dropping events"]
]==]
for i = 1, 16384 + 100 do os.queueEvent("e", i) end
local timer = os.startTimer(0)
local n = 0
while true do
  local ev, a = os.pullEventRaw()
  if ev == "e" then
    n = n + 1
    if a ~= n then error(("event %d carries %s"):format(n, tostring(a))) end
  elseif ev == "timer" and a == timer then
    break
  else
    error("unexpected event " .. tostring(ev))
  end
end
print(n .. " events, then the timer")
os.queueEvent("again")
print((os.pullEventRaw()))
