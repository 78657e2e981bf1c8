--[==[case
clauses = ["X1", "X8"]
summary = "a file written and never closed is flushed when the script fails: after the runner exited (status 1), it holds everything written"
exit = 1
stderr_contains = ["crash after writing"]

[written]
"out/error.txt" = '''
line 1 of what was written
line 2 of what was written
line 3 of what was written
line 4 of what was written
line 5 of what was written
line 6 of what was written
line 7 of what was written
line 8 of what was written
line 9 of what was written
line 10 of what was written
line 11 of what was written
line 12 of what was written
line 13 of what was written
line 14 of what was written
line 15 of what was written
line 16 of what was written
line 17 of what was written
line 18 of what was written
line 19 of what was written
line 20 of what was written
done'''
]==]
local h = fs.open("out/error.txt", "w")
for i = 1, 20 do h.write(("line %d of what was written\n"):format(i)) end
h.write("done")
error("crash after writing")
