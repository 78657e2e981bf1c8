--[==[case
clauses = ["R5", "R6"]
summary = "read(), read(n) and readAll at and past the end of the body: short reads set the end flag, nil afterwards"
fix = ["R5", "R6"]
stdout = '''
ok
'''

[[step]]
send = 'POST /short HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde'
status = 200
body = '[abc] [de] nil nil nil'

[[step]]
send = 'POST /exact HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc'
status = 200
body = '[abc] [] nil'

[[step]]
send = 'POST /bytes HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz'
status = 200
body = '[x] [y] [z] nil nil'

[[step]]
send = 'POST /readall-twice HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'
status = 200
body = '[hello] nil nil'

[[step]]
send = 'POST /mixed HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nline1\nrest'
status = 200
body = '[line1] [re] [st] nil'

[[step]]
send = 'POST /big-n HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab'
status = 200
body = '[ab] nil'

[[step]]
send = 'POST /empty-read HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
status = 200
body = 'nil nil nil'

[[step]]
send = 'POST /empty-readall HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
status = 200
body = '[] nil'

[[step]]
send = 'POST /read-then-line HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab'
status = 200
body = '[ab] [] nil'

[[step]]
send = 'POST /read-exact-then-read HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab'
status = 200
body = '[ab] nil'
]==]
-- Each step's response body shows what each read returned: [text] with <CR>/<LF>
-- for CR/LF, or nil.
local port = tonumber(...)
local plans = {
  ["/short"] = { "r3", "r3", "r1", "A", "L" },
  ["/exact"] = { "r3", "A", "A" },
  ["/bytes"] = { "r", "r", "r", "r", "r2" },
  ["/readall-twice"] = { "A", "A", "r" },
  ["/mixed"] = { "L", "r2", "A", "A" },
  ["/big-n"] = { "r100", "r1" },
  ["/empty-read"] = { "r", "A", "L" },
  ["/empty-readall"] = { "A", "A" },
  ["/read-then-line"] = { "r2", "L", "L" },
  ["/read-exact-then-read"] = { "r2", "r" },
}
local total = 10
local function show(v)
  if v == nil then return "nil" end
  if type(v) ~= "string" then return "<" .. type(v) .. ">" end
  return "[" .. (v:gsub("\r", "<CR>"):gsub("\n", "<LF>")) .. "]"
end
-- ops: L = readLine(), T = readLine(true), A = readAll(), r = read(), rN = read(N)
local function run(req, op)
  if op == "L" then return req.readLine()
  elseif op == "T" then return req.readLine(true)
  elseif op == "A" then return req.readAll()
  elseif op == "r" then return req.read()
  else return req.read(tonumber(op:match("^r(%d+)$")))
  end
end
local served = 0
http.listen(port, function(req, res)
  local ops = assert(plans[req.getURL()], "no plan for " .. req.getURL())
  local out = {}
  for i, op in ipairs(ops) do out[i] = show(run(req, op)) end
  res.write(table.concat(out, " "))
  res.close()
  served = served + 1
  return served == total
end)
print("ok")
