--[==[case
clauses = ["X4"]
summary = "without options: computer id 0, no label (setComputerLabel sets and clears it), os.version() 'CraftOS 1.9', _HOST names ComputerCraft and craftos-http"
stdout = '''
id: 0 0
label: nil 0 values
set: my computer my computer
cleared: nil
version: CraftOS 1.9
host: true true
ok
'''
]==]
print("id: " .. os.getComputerID() .. " " .. os.computerID())
print("label: " .. tostring((os.getComputerLabel())) .. " " .. select("#", os.getComputerLabel()) .. " values")
os.setComputerLabel("my computer")
print("set: " .. os.getComputerLabel() .. " " .. os.computerLabel())
os.setComputerLabel()
print("cleared: " .. tostring((os.getComputerLabel())))
print("version: " .. os.version())
print("host: " .. tostring(_HOST:find("^ComputerCraft %d+%.%d+") ~= nil) .. " " ..
  tostring(_HOST:find("craftos-http", 1, true) ~= nil))
print("ok")
