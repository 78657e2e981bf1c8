--[==[case
clauses = ["L5", "L1"]
summary = "removeListener of a port not listened on, or out of range, is a silent no-op; listening afterwards works"
stdout = '''
ok
'''

[[step]]
send = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'still fine'
]==]
local port = tonumber(...)
local function silent(p)
  local r = table.pack(pcall(http.removeListener, p))
  assert(r[1], "removeListener(" .. tostring(p) .. ") raised " .. tostring(r[2]))
  assert(r.n == 1, "removeListener(" .. tostring(p) .. ") returned values")
end
silent(port)   -- never added
silent(-5)
silent(70000)
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
res.write("still fine")
res.close()
http.removeListener(port)
silent(port)   -- already removed
print("ok")
