--[==[case
clauses = ["X9"]
summary = "stdout not a terminal: a visible window draws its rows through the native term; redrawing unchanged rows logs nothing"
stdout = '''
  Server: up
  Hits: 1
  Hits: 2
  Hits: 3
      done
'''
]==]
local win = window.create(term.current(), 3, 1, 20, 4)
for i = 1, 3 do
  win.setVisible(false)
  win.clear()
  win.setCursorPos(1, 1)
  win.write("Server: up")
  win.setCursorPos(1, 2)
  win.write("Hits: " .. i)
  win.setVisible(true)
end
win.redraw()
win.setCursorPos(5, 4)
win.write("done")
win.setCursorPos(1, 1)
