--[==[case
clauses = ["X9", "X2"]
summary = "write/print/io.write and term share one stdout: order kept, the cursor follows printed text, text left of the cursor is kept"
stdout = '''
abc
d
Name: bob
Total: 42
1,11 done
'''
]==]
write("a")
term.write("b")
print("c")
io.write("d\n")
term.write("Name: ")
print("bob")
term.setCursorPos(1, 10)
term.write("Total:")
term.setCursorPos(8, 10)
print(42)
local x, y = term.getCursorPos()
print(x .. "," .. y .. " done")
