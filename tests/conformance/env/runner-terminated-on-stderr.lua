--[==[case
clauses = ["X1", "X3"]
summary = "a run that terminate ends prints 'Terminated' on stderr, as CraftOS-PC's shell reports a terminated program, and exits 130"
exit = 130
stdout = '''
ready
'''
stderr = '''
Terminated
'''
process = [
  { wait_stdout = 'ready\n', max_ms = 5000 },
  { signal = "INT" },
]
]==]
print("ready")
sleep(30)
print("not terminated")
