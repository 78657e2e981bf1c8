-- `rednet` with no modem (env/rednet.rs). CraftOS-PC's ROM opens modems
-- through `peripheral`; with none attached every open fails, no message
-- leaves the computer, and only a message to this computer's own id (the
-- ROM's loopback) arrives.
local E, G = ...
local expect = E.expect
local error, type, os, peripheral, unpack = error, type, os, G.peripheral, table.unpack or unpack

local rednet = {
  CHANNEL_BROADCAST = 65535,
  CHANNEL_REPEAT = 65533,
  MAX_ID_CHANNELS = 65500,
}

local hostnames = {}

local function is_modem(side)
  return peripheral ~= nil and peripheral.getType(side) == "modem"
end

function rednet.open(modem)
  expect(1, "open", modem, "string")
  if not is_modem(modem) then error("No such modem: " .. modem, 2) end
end

function rednet.close(modem)
  expect(1, "close", modem, "string", "nil")
  if modem and not is_modem(modem) then error("No such modem: " .. modem, 2) end
end

function rednet.isOpen(modem)
  expect(1, "isOpen", modem, "string", "nil")
  return false
end

function rednet.send(recipient, message, protocol)
  expect(1, "send", recipient, "number")
  expect(3, "send", protocol, "string", "nil")
  if recipient == os.getComputerID() then
    os.queueEvent("rednet_message", recipient, message, protocol)
    return true
  end
  return false
end

function rednet.broadcast(message, protocol)
  expect(2, "broadcast", protocol, "string", "nil")
  rednet.send(rednet.CHANNEL_BROADCAST, message, protocol)
end

function rednet.receive(protocol_filter, timeout)
  if type(protocol_filter) == "number" and timeout == nil then
    protocol_filter, timeout = nil, protocol_filter
  end
  expect(1, "receive", protocol_filter, "string", "nil")
  expect(2, "receive", timeout, "number", "nil")
  local timer, event_filter = nil, "rednet_message"
  if timeout then timer, event_filter = os.startTimer(timeout), nil end
  while true do
    local event, p1, p2, p3 = os.pullEvent(event_filter)
    if event == "rednet_message" then
      if protocol_filter == nil or p3 == protocol_filter then
        if timer then os.cancelTimer(timer) end
        return p1, p2, p3
      end
    elseif event == "timer" and p1 == timer then
      return nil
    end
  end
end

function rednet.host(protocol, hostname)
  expect(1, "host", protocol, "string")
  expect(2, "host", hostname, "string")
  if hostname == "localhost" then error("Reserved hostname", 2) end
  -- No other computer can hold the name: it is ours.
  hostnames[protocol] = hostname
end

function rednet.unhost(protocol)
  expect(1, "unhost", protocol, "string")
  hostnames[protocol] = nil
end

-- Only this computer answers (no modem is open to ask the others).
function rednet.lookup(protocol, hostname)
  expect(1, "lookup", protocol, "string")
  expect(2, "lookup", hostname, "string", "nil")
  local mine = hostnames[protocol]
  if hostname == nil then
    if mine then return os.getComputerID() end
    return
  end
  if mine and (hostname == "localhost" or hostname == mine) then return os.getComputerID() end
  return nil
end

local started = false
function rednet.run()
  if started then error("rednet is already running", 2) end
  started = true
  -- The daemon relays modem messages and answers lookups over them; with
  -- no modem there is never anything to do.
  while true do os.pullEventRaw() end
end

G.rednet = rednet
