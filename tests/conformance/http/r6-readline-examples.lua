--[==[case
clauses = ["R6", "R5"]
summary = "readLine reads like C++ getline with an end flag: the examples of R6 verbatim, and readLine(true)"
fix = ["R6"]
ext = ["R6"]
stdout = '''
ok
'''

[[step]]
send = 'POST /lf HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\na\nb\n'
status = 200
body = '[a] [b] [] nil nil'

[[step]]
send = 'POST /crlf HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\na\r\nb\nc'
status = 200
body = '[a<CR>] [b] [c] nil nil'

[[step]]
send = 'POST /empty HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
status = 200
body = '[] nil nil'

[[step]]
send = 'GET /nobody HTTP/1.1\r\nHost: x\r\n\r\n'
status = 200
body = '[] nil nil'

[[step]]
send = 'POST /trailing HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\na\nb'
status = 200
body = '[a<LF>] [b] nil nil'

[[step]]
send = 'POST /trailing-crlf HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\na\r\n\n'
status = 200
body = '[a<CR><LF>] [<LF>] [] nil nil'

[[step]]
send = 'POST /line-then-readall HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nx\ny'
status = 200
body = '[x] [y] nil'

[[step]]
send = 'POST /no-newline HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc'
status = 200
body = '[abc] nil'

[[step]]
send = 'POST /lines-then-read HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\na\nb\n'
status = 200
body = '[a] [b] nil nil nil'

[[step]]
send = 'POST /line-at-end-then-readall HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\na\n'
status = 200
body = '[a] [] nil'

[[step]]
send = 'POST /only-newline HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n\n'
status = 200
body = '[] [] nil nil'

[[step]]
send = 'POST /only-crlf HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n\r\n'
status = 200
body = '[<CR>] [] nil'
]==]
-- Each step's response body shows what each read returned: [text] with <CR>/<LF>
-- for CR/LF, or nil.
local port = tonumber(...)
local plans = {
  ["/lf"] = { "L", "L", "L", "L", "L" },
  ["/crlf"] = { "L", "L", "L", "L", "L" },
  ["/empty"] = { "L", "L", "L" },
  ["/nobody"] = { "L", "L", "L" },
  ["/trailing"] = { "T", "T", "T", "T" },
  ["/trailing-crlf"] = { "T", "T", "T", "T", "T" },
  ["/line-then-readall"] = { "L", "A", "A" },
  ["/no-newline"] = { "L", "L" },
  ["/lines-then-read"] = { "L", "L", "r", "A", "L" },
  ["/line-at-end-then-readall"] = { "L", "A", "A" },
  ["/only-newline"] = { "L", "L", "L", "L" },
  ["/only-crlf"] = { "L", "L", "L" },
}
local total = 12
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
