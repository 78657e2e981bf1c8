--[==[case
clauses = ["X14", "X8", "G3"]
summary = "fs.complete as CraftOS-PC's ROM: rest of each matching name, directories with and without '/', include_files/include_dirs/include_hidden, relative to a location, '..' and '.' at the start"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, raises, list = A.eq, A.raises, A.list
local D = "fs-tmp-complete"
fs.delete(D)
for _, p in ipairs({ "apple.txt", "apricot.txt", "banana.txt", ".hidden", "apps/x.txt" }) do
  local h = fs.open(D .. "/" .. p, "w") h.close()
end
eq("files and dirs", list(fs.complete("ap", D)), "ple.txt,ps/,ps,ricot.txt")
eq("no files", list(fs.complete("ap", D, false)), "ps/,ps")
eq("dirs only with a slash", list(fs.complete("ap", D, true, false)), "ple.txt,ps/,ricot.txt")
eq("table form", list(fs.complete("ap", D, { include_files = false, include_dirs = false })), "ps/")
eq("into a directory", list(fs.complete("apps/", D)), "x.txt")
eq("absolute", list(fs.complete("/" .. D .. "/ban", "nowhere")), "ana.txt")
eq("everything", list(fs.complete("", D)), ".,..,.hidden,apple.txt,apps/,apps,apricot.txt,banana.txt")
eq("hidden excluded", list(fs.complete("", D, { include_hidden = false })), ".,..,apple.txt,apps/,apps,apricot.txt,banana.txt")
eq("hidden when typed", list(fs.complete(".h", D, { include_hidden = false })), "idden")
eq("dot: typing a dot shows hidden names", list(fs.complete(".", D, { include_hidden = false })), ".,hidden")
eq("nothing", #fs.complete("zz", D), 0)
eq("not a directory", #fs.complete("x/", D .. "/apple.txt"), 0)
raises("path type", function() fs.complete(nil, "") end, "bad argument #1 to 'complete' (string expected, got nil)")
raises("location type", function() fs.complete("", 1) end, "bad argument #2 to 'complete' (string expected, got number)")
raises("option type", function() fs.complete("", "", 1) end, "bad argument #3 to 'complete' (boolean expected, got number)")
raises("field type", function() fs.complete("", "", { include_dirs = 1 }) end, "bad field 'include_dirs' (boolean expected, got number)")
fs.delete(D)
print("ok")
