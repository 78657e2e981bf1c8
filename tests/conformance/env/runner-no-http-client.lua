--[==[case
clauses = ["X4", "G2"]
summary = "the client side of http (request, get, post, checkURL, websocket and the Async forms) is not craftos-http's: each is a function raising 'http.NAME is not available: craftos-http serves HTTP (...) and has no HTTP client' at the caller, never 'attempt to call a nil value'; the server functions are there"
stdout = '''
request
get
post
checkURL
checkURLAsync
websocket
websocketAsync
ok
'''
]==]
local function E(f) local ok, e = pcall(f) if ok then return "<no error>" end return e end
-- The message after the caller's position (this file, some line).
local chunk = assert(E(function() error("ref") end):match("^(.*):%d+: ref$"))
local function message(err)
  local c, rest = err:match("^(.*):%d+: (.*)$")
  assert(c == chunk, ("not at the caller: %q"):format(err))
  return rest
end
for _, name in ipairs({ "request", "get", "post", "checkURL", "checkURLAsync", "websocket", "websocketAsync" }) do
  assert(type(http[name]) == "function", name .. " is a " .. type(http[name]))
  local err = message(E(function() local r = http[name]("http://example.com/") return r end))
  local expected = "http." .. name .. " is not available: craftos-http serves HTTP "
    .. "(http.listen, http.websocketServer) and has no HTTP client"
  assert(err == expected, ("%s: %q"):format(name, err))
  print(name)
end
for _, name in ipairs({ "listen", "addListener", "removeListener", "websocketServer" }) do
  assert(type(http[name]) == "function", name)
end
print("ok")
