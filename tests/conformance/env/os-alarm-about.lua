--[==[case
clauses = ["X14", "X3", "G2"]
summary = "os.setAlarm on the in-game clock (an alarm event with its id when os.time() reaches the time; 50 s per in-game hour), cancelAlarm, CraftOS-PC's 'Number out of range'; a pending alarm's timer is never seen as a timer; os.about names the runner"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, raises = A.eq, A.raises

eq("about", os.about():sub(1, 13), "craftos-http ")
raises("setAlarm type", function() os.setAlarm("1") end, "bad argument #1 to 'setAlarm' (number expected, got string)")
raises("setAlarm 24", function() os.setAlarm(24) end, "Number out of range")
raises("setAlarm negative", function() os.setAlarm(-0.5) end, "Number out of range")
raises("cancelAlarm type", function() os.cancelAlarm() end, "bad argument #1 to 'cancelAlarm' (number expected, got nil)")

-- an alarm 0.006 in-game hours ahead: 0.3 s
local start = os.epoch("utc")
local alarm = os.setAlarm((os.time() + 0.006) % 24)
eq("an id", type(alarm), "number")
local timer = os.startTimer(5)
if timer == alarm then error("the alarm and the timer share an id") end
local ev, id = os.pullEvent("alarm")
local waited = os.epoch("utc") - start
eq("alarm event", ev, "alarm")
eq("its id", id, alarm)
if waited < 150 or waited > 2000 then error("the alarm came after " .. waited .. " ms") end
os.cancelTimer(timer)

-- a pending alarm's timer is not a timer event; a cancelled alarm never comes
local cancelled = os.setAlarm((os.time() + 0.004) % 24)
local kept = os.setAlarm((os.time() + 0.008) % 24)
os.cancelAlarm(cancelled)
os.cancelAlarm(cancelled)
local t = os.startTimer(0.6)
local seen = {}
while true do
  local e, p = os.pullEvent()
  if e == "timer" and p == t then break end
  seen[#seen + 1] = e .. ":" .. tostring(p == kept)
end
eq("only the kept alarm", table.concat(seen, ","), "alarm:true")
-- a wait for timers while an alarm is pending: the alarm is skipped
local later = os.setAlarm((os.time() + 0.002) % 24)
local t2 = os.startTimer(0.4)
local e2, p2 = os.pullEvent("timer")
eq("timer filter", e2 .. " " .. tostring(p2 == t2), "timer true")
eq("printWarning is not CC's", printWarning, nil)
eq("os.sleep", os.sleep, sleep)
print("ok")
