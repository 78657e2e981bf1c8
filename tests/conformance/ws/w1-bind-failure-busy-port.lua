--[==[case
clauses = ["W1", "L3"]
summary = "websocketServer on a port another process holds returns nil and a reason containing 'Address already in use'"
fix = ["L3"]
busy_port = true
stdout = '''
ok
'''
]==]
local port = tonumber(...)
local r = table.pack(http.websocketServer(port))
assert(r[1] == nil, "websocketServer succeeded on a port another process listens on")
assert(r.n == 2 and type(r[2]) == "string", ("returned %d values, second %s"):format(r.n, tostring(r[2])))
assert(r[2]:find("Address already in use", 1, true), "reason: " .. r[2])
print("ok")
