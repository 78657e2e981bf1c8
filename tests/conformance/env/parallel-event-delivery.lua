--[==[case
clauses = ["X5"]
summary = "parallel resumes the functions in order, gives each event to every coroutine whose filter matches (the others lose it), terminate to all whatever their filter; a coroutine's Terminated error ends the call; nested calls pass events down"
stdout = '''
A start
B start
C start
A got x 1
C got x 1
A got y 2
B got y 2
C got y 2
C got x 3
terminate: A terminate, B terminate, C terminate
raised: Terminated after A terminate, B terminate
nested: inner 1 got e 7, inner 2 got e 7, outer got e 7
nested done
'''
]==]
local function log(s) print(s) end
parallel.waitForAll(
  function()
    log("A start")
    local e, v = os.pullEvent("x") log("A got " .. e .. " " .. v)
    e, v = os.pullEvent("y") log("A got " .. e .. " " .. v)
  end,
  function()
    log("B start")
    local e, v = os.pullEvent("y") log("B got " .. e .. " " .. v)
  end,
  function()
    log("C start")
    os.queueEvent("x", 1)
    os.queueEvent("y", 2)
    os.queueEvent("x", 3)
    for _ = 1, 3 do
      local e, v = os.pullEvent() log("C got " .. e .. " " .. v)
    end
  end
)

-- terminate reaches every coroutine, whatever its filter
local got = {}
local function raw(name, filter)
  return function()
    local e = os.pullEventRaw(filter)
    got[#got + 1] = name .. " " .. e
  end
end
os.queueEvent("terminate")
parallel.waitForAll(raw("A", "x"), raw("B", "y"), raw("C"))
log("terminate: " .. table.concat(got, ", "))

-- os.pullEvent in one of them raises Terminated, which ends the whole call
got = {}
os.queueEvent("terminate")
local ok, err = pcall(parallel.waitForAll, raw("A", "x"), raw("B", "y"), function() os.pullEvent("z") end, raw("D", "w"))
log("raised: " .. tostring(err) .. " after " .. table.concat(got, ", "))

-- nested: the inner call's coroutines get the events the outer one passes down
got = {}
parallel.waitForAll(function()
  parallel.waitForAll(function()
    local e, v = os.pullEvent("e") got[#got + 1] = "inner 1 got " .. e .. " " .. v
  end, function()
    local e, v = os.pullEvent("e") got[#got + 1] = "inner 2 got " .. e .. " " .. v
  end)
end, function()
  os.queueEvent("e", 7)
  local e, v = os.pullEvent("e") got[#got + 1] = "outer got " .. e .. " " .. v
end)
log("nested: " .. table.concat(got, ", "))
log("nested done")
