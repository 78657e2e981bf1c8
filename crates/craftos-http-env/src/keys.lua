-- `keys` (env/keys.rs): code -> name, in rows of ten codes from 0; "-" is
-- a code with no key.
local E, G = ...
local expect = E.expect

local rows = {
  [0] = "- - one two three four five six seven eight",
  "nine zero minus equals backspace tab q w e r",
  "t y u i o p leftBracket rightBracket enter leftCtrl",
  "a s d f g h j k l semiColon",
  "apostrophe grave leftShift backslash z x c v b n",
  "m comma period slash rightShift multiply leftAlt space capsLock f1",
  "f2 f3 f4 f5 f6 f7 f8 f9 f10 numLock",
  "scrollLock numPad7 numPad8 numPad9 numPadSubtract numPad4 numPad5 numPad6 numPadAdd numPad1",
  "numPad2 numPad3 numPad0 numPadDecimal - - - f11 f12 -",
  "- - - - - - - - - -",
  "f13 f14 f15 - - - - - - -",
  "- - kana - - - - - - -",
  "- convert - noconvert - yen - - - -",
  "- - - - - - - - - -",
  "- numPadEquals - - circumflex at colon underscore kanji stop",
  "ax - - - - - numPadEnter rightCtrl - -",
  "- - - - - - - - - -",
  "- - - - - - - - - numPadComma",
  "- numPadDivide - - rightAlt - - - - -",
  "- - - - - - - pause - home",
  "up pageUp - left - right - end down pageDown",
  "insert delete",
}

local names = {}
local keys = {}
for row = 0, #rows do
  local code = row * 10
  for name in rows[row]:gmatch("%S+") do
    if name ~= "-" then
      names[code] = name
      keys[name] = code
    end
    code = code + 1
  end
end
-- CraftOS-PC's aliases, its spelling slips included.
keys["return"] = keys.enter
keys.scollLock = keys.scrollLock
keys.cimcumflex = keys.circumflex

function keys.getName(code)
  expect(1, "getName", code, "number")
  return names[code]
end

G.keys = keys
