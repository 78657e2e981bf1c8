--[==[case
clauses = ["X11", "G2", "G3"]
summary = "settings as CraftOS-PC's ROM: define/undefine (types checked, Unknown type ...), set/get/unset/clear with defaults and copies, setting_changed events, getNames sorted with the BIOS's own settings, getDetails; save/load through fs (false when the file cannot be opened, only valid values loaded)"
stdout = '''
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises = A.eq, A.returns, A.raises

-- the BIOS's settings are defined
local names = settings.getNames()
local index = {}
for i, n in ipairs(names) do index[n] = i end
for _, n in ipairs({ "shell.allow_startup", "shell.autocomplete", "bios.strict_globals", "shell.package_path", "lua.function_args", "motd.enable" }) do
  if not index[n] then error("not defined: " .. n) end
end
for i = 2, #names do if names[i - 1] >= names[i] then error("getNames is not sorted") end end
eq("default boolean", settings.get("shell.allow_startup"), true)
eq("package path", settings.get("shell.package_path"), "?;?.lua;?/init.lua;/rom/modules/main/?;/rom/modules/main/?.lua;/rom/modules/main/?/init.lua")
local d = settings.getDetails("bios.strict_globals")
eq("details type", d.type, "boolean")
eq("details default", d.default, false)
eq("details value", d.value, false)
eq("details changed", d.changed, false)
eq("details description", type(d.description), "string")

returns("get unknown", { n = 1 }, settings.get, "test.nothing")
eq("get with default", settings.get("test.nothing", 5), 5)
settings.define("test.port", { default = 8080, type = "number", description = "the port" })
eq("defined default", settings.get("test.port"), 8080)
eq("default argument wins over the defined default", settings.get("test.port", 1), 1)
raises("set wrong type", function() settings.set("test.port", "80") end, "bad argument #2 to 'set' (number expected, got string)")
raises("set function", function() settings.set("test.x", print) end, "bad argument #2 to 'set' (number, string, boolean or table expected, got function)")
raises("set nil", function() settings.set("test.x") end, "bad argument #2 to 'set' (number, string, boolean or table expected, got nil)")
raises("get name", function() settings.get(1) end, "bad argument #1 to 'get' (string expected, got number)")
raises("define options", function() settings.define("x", "y") end, "bad argument #2 to 'define' (table expected, got string)")
raises("define field", function() settings.define("x", { type = 1 }) end, "bad field 'type' (string expected, got number)")
raises("define default", function() settings.define("x", { default = print }) end, "bad field 'default' (number, string, boolean or table expected, got function)")
raises("define unknown type", function() settings.define("x", { type = "integer" }) end, 'Unknown type "integer". Expected one of number, string, boolean, table.')

-- every change queues setting_changed(name, new, old)
settings.set("test.port", 9000)
local ev, name, new, old = os.pullEvent("setting_changed")
eq("event", ev .. " " .. name .. " " .. new .. " " .. old, "setting_changed test.port 9000 8080")
settings.set("test.port", 9000)
settings.unset("test.port")
ev, name, new, old = os.pullEvent("setting_changed")
eq("no event for the same value; unset's event", tostring(new) .. " " .. old, "nil 9000")
eq("unset: the default again", settings.get("test.port"), 8080)

local t = { 1, { 2 } }
settings.set("test.table", t)
t[2][1] = 99
eq("set copies", settings.get("test.table")[2][1], 2)
settings.get("test.table")[1] = 50
eq("get copies", settings.get("test.table")[1], 1)
eq("set names come too", index["test.table"] == nil and settings.getNames()[1] ~= nil, true)
local found = false
for _, n in ipairs(settings.getNames()) do if n == "test.table" then found = true end end
eq("getNames lists set names", found, true)
d = settings.getDetails("test.table")
eq("details of an undefined value", tostring(d.changed) .. " " .. tostring(d.type), "true nil")

settings.define("test.str", { type = "string" })
settings.set("test.str", "abc")
settings.set("test.bool", false)
eq("false is a value", settings.get("test.bool", true), false)

-- save/load through fs (a file of our own: /.settings belongs to the boot)
local P = "fs-tmp-settings/saved"
fs.delete("fs-tmp-settings")
eq("save", settings.save(P), true)
local h = fs.open(P, "r")
local saved = textutils.unserialize(h.readAll())
h.close()
eq("saved value", saved["test.str"], "abc")
eq("defaults are not saved", saved["shell.allow_startup"], nil)
settings.clear()
eq("cleared", settings.get("test.str"), nil)
eq("cleared, default kept", settings.get("test.port"), 8080)
eq("load", settings.load(P), true)
eq("loaded string", settings.get("test.str"), "abc")
eq("loaded table", settings.get("test.table")[2][1], 2)
eq("loaded false", settings.get("test.bool", true), false)
eq("load missing", settings.load("fs-tmp-settings/missing"), false)
h = fs.open("fs-tmp-settings/bad", "w") h.write("not a table") h.close()
eq("load garbage", settings.load("fs-tmp-settings/bad"), false)
h = fs.open("fs-tmp-settings/typed", "w") h.write('{ ["test.str"] = 5, ["test.other"] = "ok", [1] = "x" }') h.close()
settings.clear()
eq("load typed", settings.load("fs-tmp-settings/typed"), true)
eq("a value of the wrong type is skipped", settings.get("test.str"), nil)
eq("the others load", settings.get("test.other"), "ok")
eq("save into rom fails", settings.save("rom/x"), false)
raises("save path type", function() settings.save(1) end, "bad argument #1 to 'save' (string expected, got number)")
fs.delete("fs-tmp-settings")
settings.undefine("test.port")
returns("undefined", { n = 1 }, settings.get, "test.port")
print("ok")
