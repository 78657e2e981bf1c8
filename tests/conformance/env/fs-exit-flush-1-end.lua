--[==[case
clauses = ["X1", "X8"]
summary = "a file written and never closed is flushed when the script ends normally (checked by fs-exit-flush-4-check)"
needs = ["script-dir"]
stdout = '''
ok
'''
]==]
local h = fs.open("fs-tmp-exit-flush/end.txt", "w")
h.write(os.epoch("utc") .. "\n")
h.write(("payload "):rep(1000))
h.write("done")
print("ok")
