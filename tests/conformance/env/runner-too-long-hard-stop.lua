--[==[case
clauses = ["X1", "X3", "X16", "X22"]
summary = "[ext] a script that keeps catching 'Too long without yielding' (a string, as CC: Tweaked raises it) and never yields is stopped 1.5 s later (CC: Tweaked's hard abort): the run ends with status 1 and the message, whatever it catches"
ext = ["X3", "X16"]
runner_args = ["--abort-timeout", "0.3"]
exit = 1
timeout = 15
stdout = 'string\tToo long without yielding\n'
stderr_contains = ["Too long without yielding"]
]==]
-- LuaJIT runs no hooks in compiled code (the runner keeps its JIT on).
if type(jit) == "table" then jit.off() end
local ok, err = pcall(function() while true do end end)
print(type(err), err)
-- Catch it forever, in nested coroutines too: the computer still stops.
local co = coroutine.create(function()
  while true do
    pcall(function() while true do end end)
  end
end)
while true do
  pcall(coroutine.resume, co)
  xpcall(function() while true do end end, function(e) return e end)
end
