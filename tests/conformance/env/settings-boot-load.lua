--[==[case
clauses = ["X11", "X8"]
summary = "at boot the root's /.settings is loaded as CraftOS-PC's BIOS loads it: values of the right type are set (each a setting_changed event), one of the wrong type for a BIOS setting is skipped"
runner_args = ["--root", "tests/conformance/env/settings-fixture"]
stdout = '''
8080 saved name a,b true
changed demo.list demo.name demo.port
'''
]==]
print(settings.get("demo.port") .. " " .. settings.get("demo.name") .. " " .. table.concat(settings.get("demo.list"), ",") .. " " .. tostring(settings.get("shell.allow_startup")))
local changed = {}
os.queueEvent("done")
while true do
  local ev, name = os.pullEvent()
  if ev == "done" then break end
  if ev == "setting_changed" then changed[#changed + 1] = name end
end
table.sort(changed)
print("changed " .. table.concat(changed, " "))
