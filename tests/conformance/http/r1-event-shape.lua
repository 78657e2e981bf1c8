--[==[case
clauses = ["R1", "E3", "E1"]
summary = "a plain os.pullEvent('http_request') loop gets ('http_request', port, request, response) with fresh handles per request"
stdout = '''
ok
'''

[[step]]
send = 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = 'r1'

[[step]]
send = 'GET /2 HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
status = 200
body = 'r1'
]==]
local port = tonumber(...)
http.addListener(port)
local handles = {}
for i = 1, 2 do
  local e = table.pack(os.pullEvent("http_request"))
  assert(e.n == 4, "event has " .. e.n .. " values")
  assert(e[1] == "http_request")
  assert(type(e[2]) == "number" and e[2] == port and e[2] % 1 == 0, "port is " .. tostring(e[2]))
  assert(type(e[3]) == "table" and type(e[4]) == "table" and e[3] ~= e[4], "handles")
  assert(e[3].getURL() == "/" .. i, "url " .. tostring(e[3].getURL()))
  handles[#handles + 1] = e[3]
  handles[#handles + 1] = e[4]
  e[4].write("r1")
  e[4].close()
end
assert(handles[1] ~= handles[3] and handles[2] ~= handles[4], "handles reused across requests")
http.removeListener(port)
print("ok")
