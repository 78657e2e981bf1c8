--[==[case
clauses = ["X1", "X3", "X16", "X22"]
summary = "[ext] a script that runs --abort-timeout seconds without yielding gets the error 'Too long without yielding' (CraftOS-PC's abortTimeout, 17 s by default); a script that catches it and yields runs on, one that does not ends with status 1"
runner_args = ["--abort-timeout", "0.3"]
exit = 1
stdout = '''
caught
still serving
'''
stderr_contains = ["Too long without yielding"]

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'still serving'
]==]
local port = tonumber(...)
-- LuaJIT runs no hooks in compiled code (the runner keeps its JIT on).
if type(jit) == "table" then jit.off() end
local ok, err = pcall(function() while true do end end)
assert(not ok and tostring(err):find("Too long without yielding", 1, true), tostring(err))
print("caught")
-- It yields now: its listener answers.
http.listen(port, function(req, res)
  res.write("still serving")
  res.close()
  print("still serving")
  return true
end)
-- And a loop that never yields ends the run.
while true do end
