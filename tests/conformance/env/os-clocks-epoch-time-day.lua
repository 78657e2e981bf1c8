--[==[case
clauses = ["X3"]
summary = "os.epoch/os.time/os.day: the in-game clock as CraftOS-PC keeps it (06:00 on day 1 at start, time in thousandths of an hour, ingame epoch = day*86400000 + 72 ms per real ms), utc/local kinds as CC (ms since 1970, hours of the day, days since 1970), kinds any case, others 'Unsupported operation'"
stdout = '''
ingame time: true true true
ingame day: 1 1
ingame epoch: true true
utc epoch: true true
utc day and time agree with the epoch: true true
local day and time agree with the local epoch: true true
local offset in whole quarter hours: true
kinds in any case: true true true
Unsupported operation
Unsupported operation
Unsupported operation
ok
'''
]==]
local function near(a, b, eps) return math.abs(a - b) <= eps end

-- In-game clock: the script starts well within 5 s (0.1 in-game hours).
local t = os.time()
print("ingame time: " .. tostring(t >= 6 and t < 6.1) .. " " ..
  tostring(tonumber(("%.3f"):format(t)) == t) .. " " .. tostring(near(os.time("ingame"), t, 0.01)))
print("ingame day: " .. os.day() .. " " .. os.day("ingame"))
local ig = os.epoch("ingame")
print("ingame epoch: " .. tostring(ig >= 108000000 and ig < 108000000 + 72 * 5000) .. " " ..
  tostring(near(os.epoch(), ig, 72 * 1000)))

-- Real clocks, read until no day boundary falls between the calls.
local utc, day, hours, loc, lday, lhours
repeat
  utc = os.epoch("utc")
  day, hours = os.day("utc"), os.time("utc")
  loc = os.epoch("local")
  lday, lhours = os.day("local"), os.time("local")
until math.floor(utc / 86400000) == math.floor(os.epoch("utc") / 86400000)
  and math.floor(loc / 86400000) == math.floor(os.epoch("local") / 86400000)
print("utc epoch: " .. tostring(utc > 1.6e12 and utc < 4.1e12) .. " " .. tostring(math.floor(utc) == utc))
print("utc day and time agree with the epoch: " .. tostring(day == math.floor(utc / 86400000)) .. " " ..
  tostring(near(hours, utc % 86400000 / 3600000, 0.01)))
print("local day and time agree with the local epoch: " .. tostring(lday == math.floor(loc / 86400000)) .. " " ..
  tostring(near(lhours, loc % 86400000 / 3600000, 0.01)))
local offset = loc - utc
print("local offset in whole quarter hours: " ..
  tostring(math.abs(offset) <= 14 * 3600000 + 1000 and near(offset, math.floor(offset / 900000 + 0.5) * 900000, 1000)))

print("kinds in any case: " .. tostring(near(os.epoch("UTC"), os.epoch("utc"), 1000)) .. " " ..
  tostring(os.day("Utc") == os.day("utc")) .. " " .. tostring(near(os.time("InGame"), os.time(), 0.01)))
print(select(2, pcall(os.epoch, "bogus")))
print(select(2, pcall(os.time, "nano")))
print(select(2, pcall(os.day, "")))
print("ok")
