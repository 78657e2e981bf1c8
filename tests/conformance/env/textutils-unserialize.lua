--[==[case
clauses = ["X6"]
summary = "textutils.unserialize/unserialise reads serialize's output back (every byte of a string survives), in an empty environment; anything that does not load or run gives nil; a non-string is refused"
stdout = '''
all 256 bytes round-trip: true
1\ttwo\tx\ttrue
nested round-trip: true
nil\tnil\tnil\tnil
1 value(s) for a failure
goto key does not load back: nil
numbers: true inf -inf
unserialise is unserialize: true
bad argument #1 to 'unserialize' (string expected, got number)
ok
'''
]==]
local U = textutils.unserialize
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
bytes = table.concat(bytes)
print("all 256 bytes round-trip: " .. tostring(U(textutils.serialize(bytes)) == bytes))
local u = U('{ 1, "two", name = "x", [ 10 ] = { true }, }')
print(u[1], u[2], u.name, u[10][1])
local data = { list = { 1, 2.5, "three\r\n" }, flag = false, ["odd key"] = { [true] = "yes" } }
local back = U(textutils.serialize(data))
print("nested round-trip: " .. tostring(back.list[3] == "three\r\n" and back.list[2] == 2.5 and back.flag == false
  and back["odd key"][true] == "yes"))
-- syntax errors, a runtime error (no os in the empty environment), a global, nothing
print(U("1 +"), U("os.exit()"), U("print"), U(""))
print(select("#", U("{")) .. " value(s) for a failure")
local goto_text = textutils.serialize({ ["goto"] = 1 })
local goto_back = U(goto_text)
if _VERSION == "Lua 5.1" then
  -- `goto` is a keyword from Lua 5.2 on; Lua 5.1 and LuaJIT (_VERSION
  -- "Lua 5.1") read the same bare key back.
  assert(goto_text:find("goto = 1", 1, true) and goto_back["goto"] == 1, goto_text)
  goto_back = nil
end
print("goto key does not load back: " .. tostring(goto_back))
print("numbers: " .. tostring(U("0/0") ~= U("0/0")) .. " " .. tostring(U("1/0")) .. " " .. tostring(U("-1/0")))
print("unserialise is unserialize: " .. tostring(textutils.unserialise == U))
local ok, err = pcall(function() local v = U(5) end)
print(err:match("^.-:%d+: (.*)$"))
print("ok")
