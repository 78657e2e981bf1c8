--[==[case
clauses = ["X2"]
summary = "stdout and stderr reach a supervisor line by line while the script runs (the harness waits for each line before answering on stdin); a prompt written without a newline is shown before read() waits"
stdout = '''
line 1
line 2
partial then rest
done
'''
stderr = '''
warning 1
'''
process = [
  { wait_stdout = 'line 1\n', max_ms = 3000 },
  { write_stdin = 'go\n' },
  { wait_stdout = 'line 2\n', max_ms = 3000 },
  { wait_stderr = 'warning 1\n', max_ms = 3000 },
  { write_stdin = 'go\n' },
  { wait_stdout = 'partial', max_ms = 3000 },
  { write_stdin = 'go\n' },
]
]==]
-- Each line is printed, then the script waits for the harness, which only
-- answers once it has seen the line: output held in a buffer would stall.
print("line 1")
read()
print("line 2")
printError("warning 1")
read()
write("partial")
read()
print(" then rest")
print("done")
