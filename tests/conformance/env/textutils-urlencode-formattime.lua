--[==[case
clauses = ["X6"]
summary = "textutils.urlEncode as CC (letters, digits, -_. kept, space +, \\n as %0D%0A, bytes from 0x80 as the UTF-8 of their Latin-1 character) and formatTime (12-hour with AM/PM, 12 for hour 0; 24-hour)"
stdout = '''
Hello+World%21%26%3D%2F%3F%C3%83%C2%A9%0D%0A%7E-_.AZaz09%2B%25
[] [%00%C3%BF]
0 12:00 AM 0:00
0.5 12:30 AM 0:30
6.5 6:30 AM 6:30
11.999 11:59 AM 11:59
12 12:00 PM 12:00
12.999 12:59 PM 12:59
13.25 1:15 PM 13:15
23.99 11:59 PM 23:59
24 12:00 PM 24:00
7.1 7:05 AM 7:05
false: 6:30 PM
bad argument #1 to 'urlEncode' (string expected, got nil)
bad argument #1 to 'formatTime' (number expected, got string)
bad argument #2 to 'formatTime' (boolean expected, got number)
ok
'''
]==]
print(textutils.urlEncode("Hello World!&=/?\195\169\n~-_.AZaz09+%"))
print("[" .. textutils.urlEncode("") .. "] [" .. textutils.urlEncode("\0\255") .. "]")
for _, t in ipairs({ 0, 0.5, 6.5, 11.999, 12, 12.999, 13.25, 23.99, 24, 7.1 }) do
  print(t .. " " .. textutils.formatTime(t) .. " " .. textutils.formatTime(t, true))
end
print("false: " .. textutils.formatTime(18.5, false))
local function check(f)
  local ok, err = pcall(f)
  assert(not ok, "no error")
  print(err:match("^.-:%d+: (.*)$"))
end
check(function() local x = textutils.urlEncode(nil) end)
check(function() local x = textutils.formatTime("x") end)
check(function() local x = textutils.formatTime(1, 1) end)
print("ok")
