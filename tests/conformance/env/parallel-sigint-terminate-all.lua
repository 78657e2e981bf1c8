--[==[case
clauses = ["X5", "X3"]
summary = "SIGINT's terminate reaches every coroutine of a parallel call, whatever its filter"
stdout = '''
ready
first got terminate
second got terminate
third got terminate
all done -> 3
'''
process = [
  { wait_stdout = 'ready\n', max_ms = 5000 },
  { signal = "INT" },
]
]==]
local function waiter(name, filter)
  return function()
    local e = os.pullEventRaw(filter)
    print(name .. " got " .. e)
  end
end
local n = parallel.waitForAll(
  waiter("first", "http_request"),
  waiter("second", "timer"),
  waiter("third"),
  function() print("ready") end
)
print("all done -> " .. n)
