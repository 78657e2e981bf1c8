--[==[case
clauses = ["X3"]
summary = "a script that catches terminate (pullEventRaw) keeps running after SIGINT; a SIGINT more than 2 s after the last is one more terminate; a second within 2 s ends the process (130) without resuming the script"
timeout = 15
exit = 130
stdout = '''
ready
terminate 1
terminate 2
'''
process = [
  { wait_stdout = 'ready\n', max_ms = 5000 },
  { signal = "INT" },
  { wait_stdout = 'terminate 1\n', max_ms = 3000 },
  { sleep_ms = 2300 },
  { signal = "INT" },
  { wait_stdout = 'terminate 2\n', max_ms = 3000 },
  { sleep_ms = 200 },
  { signal = "INT" },
]
]==]
print("ready")
local n = 0
while true do
  local ev = os.pullEventRaw()
  if ev == "terminate" then
    n = n + 1
    print("terminate " .. n)
  end
end
