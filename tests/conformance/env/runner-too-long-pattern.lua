--[==[case
clauses = ["X1", "X3", "G6", "X16", "X22"]
summary = "[ext] pattern matching is interruptible: a backtracking string.match/find/gsub/gmatch on a large subject gets 'Too long without yielding' at the abort timeout instead of holding the computer for seconds, and the computer serves on"
ext = ["X3"]
runner_args = ["--abort-timeout", "0.3"]
timeout = 20
stdout = 'match\tToo long without yielding\nfind\tToo long without yielding\ngsub\tToo long without yielding\ngmatch\tToo long without yielding\nserved\n'

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'alive'
]==]
local port = tonumber(...)
-- Quadratic: at each place of (.-), %s* runs to the last x and fails.
local body = "x" .. (" "):rep(65536) .. "x"
local hard = ("a"):rep(40)
local cases = {
  { "match", function() return body:match("^%s*(.-)%s*$") end },
  { "find", function() return hard:find(("a*"):rep(40) .. "b") end },
  { "gsub", function() return body:gsub("%s*(.-)%s*$", "%1") end },
  { "gmatch", function() for _ in hard:gmatch(("a-"):rep(40) .. "b") do end end },
}
for _, case in ipairs(cases) do
  local t = os.clock()
  local ok, err = pcall(case[2])
  assert(not ok, case[1] .. " finished")
  assert(os.clock() - t < 5, case[1] .. " took " .. (os.clock() - t) .. " s")
  print(case[1], err)
  -- Yield: a new turn for the next case.
  os.queueEvent("next") os.pullEvent("next")
end
http.listen(port, function(req, res)
  res.write("alive")
  res.close()
  print("served")
  return true
end)
