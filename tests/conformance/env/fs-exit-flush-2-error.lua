--[==[case
clauses = ["X1", "X8"]
summary = "a file written and never closed is flushed when the script fails (checked by fs-exit-flush-4-check)"
needs = ["script-dir"]
exit = 1
stderr_contains = ["crash after writing"]
]==]
local h = fs.open("fs-tmp-exit-flush/error.txt", "w")
h.write(os.epoch("utc") .. "\n")
h.write(("payload "):rep(1000))
h.write("done")
error("crash after writing")
