--[==[case
clauses = ["X4"]
summary = "--id N and --label TEXT set os.getComputerID() and the initial label; the script can relabel; with no label getComputerLabel returns no value (print shows an empty line)"
runner_args = ["--id", "42", "--label", "web server"]
stdout = '''
42\t42
web server
renamed

'''
]==]
print(os.getComputerID(), os.computerID())
print(os.getComputerLabel())
os.setComputerLabel("renamed")
print(os.getComputerLabel())
os.setComputerLabel(nil)
print(os.getComputerLabel())
