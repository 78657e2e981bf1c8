--[==[case
clauses = ["X10", "G2", "G3"]
summary = "no modem, no drive: rednet.open/close raise 'No such modem: SIDE', isOpen false, send reaches only this computer (rednet_message, true), receive times out with nil, host/lookup answer for this computer, localhost reserved; disk has nothing inserted; gps.locate is nil (debug prints why)"
stdout = '''
No wireless modem attached
ok
'''
]==]
local A = dofile("cc-assert.lib")
local eq, returns, raises, raises_bare = A.eq, A.returns, A.raises, A.raises_bare

raises("open", function() rednet.open("back") end, "No such modem: back")
raises("close side", function() rednet.close("left") end, "No such modem: left")
raises("open type", function() rednet.open() end, "bad argument #1 to 'open' (string expected, got nil)")
rednet.close()
eq("isOpen", rednet.isOpen(), false)
eq("isOpen side", rednet.isOpen("top"), false)
eq("constants", rednet.CHANNEL_BROADCAST .. " " .. rednet.CHANNEL_REPEAT .. " " .. rednet.MAX_ID_CHANNELS, "65535 65533 65500")
raises("send type", function() rednet.send("5", "x") end, "bad argument #1 to 'send' (number expected, got string)")
raises("send protocol", function() rednet.send(5, "x", 1) end, "bad argument #3 to 'send' (string expected, got number)")

eq("send to another computer", rednet.send(5, "hello"), false)
returns("broadcast returns nothing", { n = 0 }, rednet.broadcast, "hello")
local start = os.clock()
returns("receive times out", { n = 1 }, rednet.receive, 0.2)
if os.clock() - start < 0.15 then error("receive returned before its timeout") end
eq("send to itself", rednet.send(os.getComputerID(), { n = 42 }, "chat"), true)
local id, message, protocol = rednet.receive("chat", 1)
eq("own message: sender", id, os.getComputerID())
eq("own message: body", message.n, 42)
eq("own message: protocol", protocol, "chat")
rednet.send(os.getComputerID(), "other", "x")
returns("filtered out by protocol", { n = 1 }, rednet.receive, "chat", 0.1)

returns("lookup of nothing", { n = 0 }, rednet.lookup, "chat")
returns("lookup of a name", { n = 1 }, rednet.lookup, "chat", "server")
rednet.host("chat", "server")
eq("lookup finds itself", rednet.lookup("chat"), os.getComputerID())
eq("lookup by name", rednet.lookup("chat", "server"), os.getComputerID())
eq("lookup localhost", rednet.lookup("chat", "localhost"), os.getComputerID())
raises("localhost reserved", function() rednet.host("chat", "localhost") end, "Reserved hostname")
rednet.unhost("chat")
returns("unhosted", { n = 0 }, rednet.lookup, "chat")

for _, f in ipairs({ "isPresent", "hasData", "hasAudio" }) do eq("disk." .. f, disk[f]("left"), false) end
for _, f in ipairs({ "getLabel", "getMountPath", "getAudioTitle", "getID" }) do
  returns("disk." .. f, { n = 1 }, disk[f], "bottom")
end
for _, f in ipairs({ "setLabel", "eject", "playAudio", "stopAudio", "insertDisk" }) do
  returns("disk." .. f, { n = 0 }, disk[f], "bottom")
end
disk.stopAudio()
raises("disk name type", function() disk.isPresent(1) end, "bad argument #1 to 'isPresent' (string expected, got number)")

eq("CHANNEL_GPS", gps.CHANNEL_GPS, 65534)
returns("gps.locate", { n = 1 }, gps.locate)
returns("gps.locate with timeout", { n = 1 }, gps.locate, 1)
gps.locate(2, true)
raises("locate timeout type", function() gps.locate("2") end, "bad argument #1 to 'locate' (number expected, got string)")
print("ok")
