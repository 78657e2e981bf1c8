--[==[case
clauses = ["X1", "X13"]
summary = "every argument after SCRIPT reaches the script untouched, option-like ones too (--root, -v, --help, --): the runner's options go before SCRIPT"
runner_args = ["--id", "3"]
args = ["--root", "x", "-v", "7", "--help", "--", "--id", "9"]
stdout = '''
9 args: --root x -v 7 --help -- --id 9
id 3
'''
]==]
local args = { ... }
table.remove(args, 1) -- the port
print(select("#", ...) .. " args: " .. table.concat(args, " "))
print("id " .. os.getComputerID())
