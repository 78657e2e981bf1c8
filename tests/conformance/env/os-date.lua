--[==[case
clauses = ["X3"]
summary = "os.date formats (! for UTC, *t tables) and os.time of a date table round-trips through os.date"
stdout = '''
1970-01-01 00:00:00
2023-11-14T22:13:20
2023 11 14 22 13 20 3 318 false
Tue Nov 14 22:13:20 2023
round trip: 2023 11 14 22 13 20
one day apart: 86400
current year matches: true
ok
'''
]==]
print(os.date("!%Y-%m-%d %H:%M:%S", 0))
print(os.date("!%Y-%m-%dT%H:%M:%S", 1700000000))
local d = os.date("!*t", 1700000000)
print(table.concat({ d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, tostring(d.isdst) }, " "))
print(os.date("!%c", 1700000000))
-- os.time of a table reads it as local time, and os.date("*t") gives it back.
local when = os.time({ year = 2023, month = 11, day = 14, hour = 22, min = 13, sec = 20 })
local back = os.date("*t", when)
print("round trip: " .. table.concat({ back.year, back.month, back.day, back.hour, back.min, back.sec }, " "))
print("one day apart: " .. (os.time({ year = 2023, month = 11, day = 15, hour = 22, min = 13, sec = 20 }) - when))
print("current year matches: " .. tostring(os.date("%Y") == tostring(os.date("*t").year)))
print("ok")
