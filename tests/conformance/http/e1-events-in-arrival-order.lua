--[==[case
clauses = ["E1", "H5", "R1"]
summary = "requests on one keep-alive connection and on successive connections arrive as events in order"
stdout = '''
/1 /2 /3 /4 /5
ok
'''

[[step]]
send = 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\n'
body = '1'

[[step]]
send = 'POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc'
conn = "same"
body = '2'

[[step]]
send = 'GET /3 HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
body = '3'

[[step]]
send = 'GET /4 HTTP/1.1\r\nHost: x\r\n\r\n'
body = '4'

[[step]]
send = 'GET /5 HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
body = '5'
]==]
local port = tonumber(...)
local order = {}
http.listen(port, function(req, res)
  order[#order + 1] = req.getURL()
  res.write(tostring(#order))
  res.close()
  return #order == 5
end)
print(table.concat(order, " "))
print("ok")
