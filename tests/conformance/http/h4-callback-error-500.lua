--[==[case
clauses = ["H4", "G2", "L5"]
summary = "a callback error: the unclosed request gets 500 (not what was written), the listener is removed, the error propagates unchanged"
fix = ["H4"]
runner_args = ["--response-timeout", "1"]
stdout_contains = ["h4-callback-error-500.lua:", ": callback exploded\nok\n"]

[[step]]
send = 'GET /boom HTTP/1.1\r\nHost: x\r\n\r\n'
status = 500
headers_absent = ["X-Partial"]

[[step]]
send = 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n'
conn = "same"
delay_ms = 300
no_response = true
]==]
local port = tonumber(...)
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
local expected
local ok, err = pcall(http.listen, port, function(req, res)
  res.setStatusCode(201)
  res.setResponseHeader("X-Partial", "yes")
  res.write("partial")
  expected = E(function() error("callback exploded") end) error("callback exploded")
end)
assert(not ok, "listen returned normally")
assert(type(expected) == "string" and expected:match(":%d+: callback exploded$"), tostring(expected))
assert(err == expected, ("expected %q, got %q"):format(expected, tostring(err)))
local timer = os.startTimer(1.5)
while true do
  local ev, a = os.pullEvent()
  assert(ev ~= "http_request", "request after the callback error: the listener is still there")
  if ev == "timer" and a == timer then break end
end
print(err)
print("ok")
