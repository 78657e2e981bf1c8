--[==[case
clauses = ["X1", "G6", "X15", "X22"]
summary = "[ext] a computer's Lua state has a memory limit (--memory-limit BYTES, 256 MiB by default): past it an allocation raises the string 'not enough memory', which pcall catches, and the computer serves on; uncaught, the run ends with status 1 and the message, never an abort"
ext = ["X1", "X15"]
runner_args = ["--memory-limit", "67108864"]
exit = 1
stdout = '''
caught
caught
served
'''
stderr_contains = ["not enough memory"]

[[step]]
send = 'POST /after HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'
status = 200
body = 'still serving: hello'
]==]
local port = tonumber(...)
-- LuaJIT enforces the limit from its instruction hook, which compiled code skips.
if type(jit) == "table" then jit.off() end
local ok, err = pcall(function()
  local s = "x"
  while true do s = s .. s end
end)
assert(not ok and err == "not enough memory", tostring(err))
print("caught")
ok, err = pcall(function()
  local t = {}
  for i = 1, 1e9 do t[i] = { i } end
end)
assert(not ok and type(err) == "string" and err:find("not enough memory", 1, true), tostring(err))
print("caught")
collectgarbage()
http.listen(port, function(req, res)
  res.write("still serving: " .. req.readAll())
  res.close()
  print("served")
  return true
end)
local s = "x"
while true do s = s .. s end
