--[==[case
clauses = ["X1", "X8"]
summary = "the files the fs-exit-flush-1..3 cases left open (normal end, error, terminate) hold everything written; run it with them (it waits up to 50 s for them)"
timeout = 60
stdout = '''
ok
'''
]==]
local function eq(what, got, want)
  if got ~= want then error(("%s: got %q, want %q"):format(what, tostring(got), tostring(want)), 2) end
end
-- f must raise exactly `msg`, as a string with this script's position (G2)
local function raises(what, f, msg)
  local ok, e = pcall(f)
  if ok then error(what .. ": no error", 2) end
  if type(e) ~= "string" then error(what .. ": error is a " .. type(e), 2) end
  local prefix = e:sub(1, #e - #msg)
  if e:sub(-#msg) ~= msg or not prefix:match("fs%-[%w%-]+%.lua:%d+: $") then
    error(("%s: got %q, want <position>: %q"):format(what, e, msg), 2)
  end
end
-- f(...) must return exactly nil, msg
local function fails(what, msg, f, ...)
  local n = select("#", f(...))
  local a, b = f(...)
  if a ~= nil or b ~= msg or n ~= 2 then
    error(("%s: got %s, %q, want nil, %q"):format(what, tostring(a), tostring(b), msg), 2)
  end
end
local want = ("payload "):rep(1000) .. "done"
local pending = { "end.txt", "error.txt", "terminate.txt" }
-- Up to 50 s of wall time: the three cases may wait for a free slot while
-- this one holds its own.
local deadline = os.epoch("utc") + 50000
while #pending > 0 do
  local left = {}
  for _, name in ipairs(pending) do
    local h = fs.open("fs-tmp-exit-flush/" .. name, "r")
    local stamp = h and tonumber((h.readLine()))
    local body = h and h.readAll()
    if h then h.close() end
    -- written by this run of the suite (not left over), and complete
    if not (stamp and os.epoch("utc") - stamp < 60000 and body == want) then left[#left + 1] = name end
  end
  pending = left
  if #pending > 0 then
    if os.epoch("utc") > deadline then error("not flushed: " .. table.concat(pending, ", ")) end
    sleep(0.2)
  end
end
fs.delete("fs-tmp-exit-flush")
print("ok")
