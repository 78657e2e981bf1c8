-- The addListener style: one event loop serving two ports and a timer,
-- as CraftOS-PC scripts that do more than serve HTTP are written.
-- Run: cargo run --release -- examples/event-loop.lua [PORT]   (default 8080)
-- PORT answers with a counter; PORT+1 answers with the uptime; every 10 s
-- the script prints how many requests it served. Ctrl-C stops it.
local port = tonumber((...)) or 8080
http.addListener(port)
http.addListener(port + 1)
print(("Listening on %d and %d"):format(port, port + 1))

local served = 0
local tick = os.startTimer(10)
while true do
  local event, a, req, res = os.pullEvent()
  if event == "http_request" then
    served = served + 1
    if a == port then
      res.write("request #" .. served .. " for " .. req.getURL() .. "\n")
    else
      res.write(("up %.1f s\n"):format(os.clock()))
    end
    res.close()
  elseif event == "timer" and a == tick then
    print("served " .. served .. " requests")
    tick = os.startTimer(10)
  end
end
