--[==[case
clauses = ["X9"]
summary = "stdout not a terminal: a status screen redrawn in a loop logs each changed row once; an unchanged redraw logs nothing"
stdout = '''
== server ==
state: up
hits: 1
hits: 2
hits: 10
hits: 1
'''
]==]
local function draw(hits)
  term.clear()
  term.setCursorPos(1, 1)
  term.setTextColour(colors.yellow)
  term.write("== server ==")
  term.setTextColour(colors.white)
  term.setCursorPos(1, 2)
  term.write("state: ")
  term.setTextColour(colors.lime)
  term.write("up")
  term.setCursorPos(1, 3)
  term.write("hits: ")
  term.write(tostring(hits))
  term.setCursorPos(1, 5)
end
for _, hits in ipairs({ 1, 1, 2, 2, 10, 1 }) do
  draw(hits)
  sleep(0)
end
