--[==[case
clauses = ["X1", "X8"]
summary = "a file written and never closed is flushed when the script is terminated (checked by fs-exit-flush-4-check)"
needs = ["script-dir"]
exit = 130
]==]
local h = fs.open("fs-tmp-exit-flush/terminate.txt", "w")
h.write(os.epoch("utc") .. "\n")
h.write(("payload "):rep(1000))
h.write("done")
os.queueEvent("terminate")
os.pullEvent()
