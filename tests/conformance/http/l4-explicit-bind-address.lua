--[==[case
clauses = ["L4", "X22", "L3", "W1"]
summary = "listeners bind the address given with --bind, not the default: while the harness holds 127.0.0.1:PORT (where the default address fails with Address already in use, l3-busy-port-names-the-port), --bind 127.0.0.2 binds PORT there for http.addListener and http.websocketServer"
fix = ["L4"]
# 127.0.0.2 is a loopback address of Linux (all of 127.0.0.0/8).
runner_args = ["--bind", "127.0.0.2"]
busy_port = true
stdout = '''
http bound
ws bound
ok
'''
]==]
local port = tonumber(...)
local ok, err = pcall(http.addListener, port)
print(ok and "http bound" or "http: " .. tostring(err))
local server, reason = http.websocketServer(port)
print(server and "ws bound" or "ws: " .. tostring(reason))
http.removeListener(port)
if server then server.close() end
print("ok")
