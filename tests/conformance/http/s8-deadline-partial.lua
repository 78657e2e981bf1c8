--[==[case
clauses = ["S8", "R8", "G4", "S6"]
summary = "at the response deadline the client gets what was set and written so far, and the handles become closed"
fix = ["R8"]
runner_args = ["--response-timeout", "1"]
stdout = '''
ok
'''

[[step]]
send = 'POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody'
status = 202
headers = { "X-Partial" = "yes", "Content-Length" = "7" }
headers_absent = ["Transfer-Encoding"]
body = 'partial'
min_ms = 900
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local function expectErr(ref, err, msg)
  if type(err) ~= "string" then error("error value is a " .. type(err) .. ", not a string", 2) end
  local where = ref:match("^(.*:%d+: )ref$")
  if not where then error("reference error has no position: " .. tostring(ref), 2) end
  if err ~= where .. msg then error(("expected %q, got %q"):format(where .. msg, err), 2) end
end
http.addListener(port)
local _, _, req, res = os.pullEvent("http_request")
res.setStatusCode(202)
res.setResponseHeader("X-Partial", "yes")
res.write("partial")
-- never close: the deadline (1 s) sends it
sleep(1.5)
local C = "attempt to use a closed file"
expectErr(E(function() error("ref") end), E(function() res.write("late") end), C)
expectErr(E(function() error("ref") end), E(function() res.setStatusCode(500) end), C)
expectErr(E(function() error("ref") end), E(function() res.close() end), C)
expectErr(E(function() error("ref") end), E(function() req.readAll() end), C)
expectErr(E(function() error("ref") end), E(function() req.getURL() end), C)
assert(pcall(req.close), "req.close raised after the deadline")
http.removeListener(port)
print("ok")
