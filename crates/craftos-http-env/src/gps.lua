-- `gps` with no wireless modem (env/gps.rs).
local E, G = ...
local expect = E.expect

local gps = { CHANNEL_GPS = 65534 }

function gps.locate(timeout, debug)
  expect(1, "locate", timeout, "number", "nil")
  expect(2, "locate", debug, "boolean", "nil")
  if debug then print("No wireless modem attached") end
  return nil
end

G.gps = gps
