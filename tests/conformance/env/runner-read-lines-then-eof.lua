--[==[case
clauses = ["X2"]
summary = "read() returns stdin's lines without their \\n or \\r\\n (empty lines too, and a last line without a newline); at end of input it waits forever without spinning: other coroutines run, and see only their own events"
stdin = 'first\nsecond line\r\n\n\ttabbed  \nlast without newline'
stdout = '''
1 [first]
2 [second line]
3 []
4 [\ttabbed  ]
5 [last without newline]
waitForAny -> 2
events seen while read() waited: 1 (timer)
still waiting after sleep
'''
]==]
for i = 1, 5 do
  print(i .. " [" .. read() .. "]")
end
-- Input has ended: read() must neither return nor keep the computer busy.
local returned, seen, names = nil, 0, {}
local winner = parallel.waitForAny(function()
  returned = read()
end, function()
  local timer = os.startTimer(0.5)
  while true do
    local ev, id = os.pullEventRaw()
    seen = seen + 1
    names[#names + 1] = ev
    if ev == "timer" and id == timer then return end
  end
end)
print("waitForAny -> " .. winner)
assert(returned == nil, "read() returned at end of input: " .. tostring(returned))
print("events seen while read() waited: " .. seen .. " (" .. table.concat(names, ", ") .. ")")
-- And again, read() in the main coroutine alongside a timer in parallel.
parallel.waitForAny(read, function() sleep(0.2) end)
print("still waiting after sleep")
