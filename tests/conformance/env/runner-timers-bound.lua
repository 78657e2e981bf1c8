--[==[case
clauses = ["X18", "X3"]
summary = "at most 1000000 timers running at once: the next os.startTimer raises the string 'Too many timers'; cancelling one, or one firing, makes room"
ext = ["X18"]
timeout = 30
stdout = '''
Too many timers
room after cancel
room after firing
'''
]==]
local first = os.startTimer(3600)
for _ = 2, 1000000 do os.startTimer(3600) end
local ok, err = pcall(function() return os.startTimer(3600) end)
if ok then error("timer 1000001 started") end
if type(err) ~= "string" or not err:find("Too many timers$") then
  error("unexpected error: " .. tostring(err))
end
print("Too many timers")
os.cancelTimer(first)
-- A short one in the place of the cancelled one: then it fires, and its
-- place is free again.
local short = os.startTimer(0)
print("room after cancel")
if pcall(os.startTimer, 3600) then error("a timer past the bound started") end
repeat local _, id = os.pullEvent("timer") until id == short
os.startTimer(3600)
print("room after firing")
