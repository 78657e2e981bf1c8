--[==[case
clauses = ["X3", "X1"]
summary = "SIGINT queues terminate: a script waiting in sleep() gets 'Terminated' raised and the run ends with 130"
exit = 130
stdout = '''
ready
caught: Terminated
'''
process = [
  { wait_stdout = 'ready\n', max_ms = 5000 },
  { signal = "INT" },
]
]==]
print("ready")
local ok, err = pcall(sleep, 30)
print("caught: " .. tostring(err))
-- raise it again: the run ends as terminated
error(err, 0)
