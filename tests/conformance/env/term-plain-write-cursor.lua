--[==[case
clauses = ["X9"]
summary = "stdout not a terminal: term.write text appears as is, a move to another row ends the line, moves right pad with spaces, colours show nothing"
stdout = '''
Status: running
Requests: 5
Requests: 6
                   right red
42
after clear
'''
]==]
term.clear()
term.setCursorPos(1, 1)
term.write("Status: ")
term.write("running")
term.setCursorPos(1, 2)
term.write("Requests: 5")
-- overwriting what the log already shows: the whole row again, on a new line
term.setCursorPos(11, 2)
term.write("6")
term.setCursorPos(1, 4)
term.setCursorPos(20, 4)
term.write("right")
term.setTextColour(colors.red)
term.setBackgroundColour(colors.blue)
term.write(" red")
term.setPaletteColour(colors.red, 0x00FF00)
term.setCursorBlink(true)
term.setCursorPos(1, 5)
term.write(42)
term.clear()
term.setCursorPos(1, 1)
term.write("after clear")
term.setCursorPos(1, 2)
