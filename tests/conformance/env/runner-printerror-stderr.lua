--[==[case
clauses = ["X2"]
summary = "printError writes its values (through tostring, tab-separated, newline) to stderr, not stdout, and returns nothing"
stdout = '''
before
returned 0 values
after
'''
stderr = '''
something failed	42	nil	custom
second
line

'''
]==]
local obj = setmetatable({}, { __tostring = function() return "custom" end })
print("before")
local n = select("#", printError("something failed", 42, nil, obj))
printError("second\nline")
printError()
print("returned " .. n .. " values")
print("after")
