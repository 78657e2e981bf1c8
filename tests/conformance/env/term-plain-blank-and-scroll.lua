--[==[case
clauses = ["X9"]
summary = "stdout not a terminal: blit shows its text only; blank rows, trailing spaces, clear, clearLine and scroll never make empty lines"
stdout = '''
hello     world
scrolled
line three
x
'''
]==]
term.setCursorPos(1, 1)
term.blit("hello", "01234", "fffff")
term.blit("     ", "00000", "eeeee")
term.write("world")
term.scroll(1)
term.setCursorPos(1, 1)
term.write("scrolled")
term.setCursorPos(1, 3)
term.write("line three")
term.clearLine()
term.setCursorPos(1, 3)
term.write("x")
term.scroll(-2)
local w, h = term.getSize()
for y = 1, h do
  term.setCursorPos(1, y)
  term.blit((" "):rep(w), ("0"):rep(w), ("f"):rep(w))
  term.clearLine()
end
term.clear()
term.scroll(100)
term.setCursorPos(1, 1)
