--[==[case
clauses = ["X1", "X8"]
summary = "the files the fs-exit-flush-1..3 cases left open (normal end, error, terminate) hold everything written; run it with them (it waits up to 50 s for them)"
needs = ["script-dir"]
timeout = 60
stdout = '''
ok
'''
]==]
-- eq, raises (exact error with this script's position) and fails (nil, msg)
local eq, raises, fails = dofile("fs-assert.lib")
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
