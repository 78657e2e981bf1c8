-- `disk` with no drive (env/disk.rs): CraftOS-PC's ROM asks `peripheral`
-- whether the name is a drive, and with nothing attached none is.
local E, G = ...
local expect = E.expect

local disk = {}

-- Each function: its name, and what it returns for a name that is no drive.
local answers = {
  isPresent = false, getLabel = nil, hasData = false, getMountPath = nil,
  hasAudio = false, getAudioTitle = nil, getID = nil,
}
for _, name in ipairs({ "isPresent", "getLabel", "hasData", "getMountPath", "hasAudio", "getAudioTitle", "getID" }) do
  local answer = answers[name]
  disk[name] = function(side)
    expect(1, name, side, "string")
    return answer
  end
end
for _, name in ipairs({ "setLabel", "playAudio", "eject", "insertDisk" }) do
  disk[name] = function(side)
    expect(1, name, side, "string")
  end
end

-- Without a name: every drive (there are none).
function disk.stopAudio(side)
  if not side then return end
  expect(1, "stopAudio", side, "string")
end

G.disk = disk
