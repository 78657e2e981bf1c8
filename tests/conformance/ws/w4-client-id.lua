--[==[case
clauses = ["W4", "W8", "E1"]
summary = "clientID is a light userdata, equal across the events of a client and different between two clients alive at once"
stdout = '''
ok
'''

[[ws]]
id = "a"

[[ws]]
id = "b"
actions = [{ expect_text = 'you are b' }]

[[ws]]
id = "a"
actions = [{ expect_text = 'you are a' }, { send_text = 'from a' }, { sleep_ms = 200 }]

[[ws]]
id = "b"
actions = [{ send_text = 'from b' }, { sleep_ms = 200 }]

[[ws]]
id = "a"
actions = [{ close = 4001 }, { expect_close = 'any' }, { expect_eof = true }, ]

[[ws]]
id = "b"
actions = [{ sleep_ms = 200 }, { close = 4002 }, { expect_close = 'any' }, { expect_eof = true }]
]==]
local port = tonumber(...)
local server = assert(http.websocketServer(port))
local a = server.listen()
local b = server.listen()
assert(type(a.clientID) == "userdata" and type(b.clientID) == "userdata",
  "clientID types: " .. type(a.clientID) .. ", " .. type(b.clientID))
assert(a.clientID ~= b.clientID, "two clients have the same clientID")
local names = { [a.clientID] = "a", [b.clientID] = "b" }
b.send("you are b")
a.send("you are a")
local ev, id, msg, binary = os.pullEvent("websocket_server_message")
assert(names[id] == "a" and msg == "from a" and binary == false, ("1st message %s %q"):format(tostring(names[id]), tostring(msg)))
assert(rawequal(id, a.clientID), "the event's id is not rawequal to a.clientID")
ev, id, msg = os.pullEvent("websocket_server_message")
assert(names[id] == "b" and msg == "from b", ("2nd message %s %q"):format(tostring(names[id]), tostring(msg)))
local _, id1, _, code1 = os.pullEvent("websocket_server_closed")
local _, id2, _, code2 = os.pullEvent("websocket_server_closed")
assert(names[id1] == "a" and code1 == 4001, "1st close " .. tostring(names[id1]) .. " " .. tostring(code1))
assert(names[id2] == "b" and code2 == 4002, "2nd close " .. tostring(names[id2]) .. " " .. tostring(code2))
print("ok")
