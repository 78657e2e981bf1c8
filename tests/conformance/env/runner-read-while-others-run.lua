--[==[case
clauses = ["X2", "X5"]
summary = "read() waits for a line while the other coroutines keep running (timers fire, output goes out); the line typed later is returned"
stdout = '''
tick 1
tick 2
tick 3
ticks done
got [hello world]
waitForAny -> 1
'''
process = [
  { wait_stdout = 'ticks done\n', max_ms = 5000 },
  { sleep_ms = 200 },
  { write_stdin = 'hello world\n' },
]
]==]
local winner = parallel.waitForAny(function()
  local line = read()
  print("got [" .. line .. "]")
end, function()
  for i = 1, 3 do
    sleep(0.05)
    print("tick " .. i)
  end
  print("ticks done")
  os.pullEvent("never happens")
end)
print("waitForAny -> " .. winner)
