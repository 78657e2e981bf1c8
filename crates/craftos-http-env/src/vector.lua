-- `vector` (env/vector.rs).
local E, G = ...
local expect = E.expect
local getmetatable, setmetatable, tonumber, sqrt, floor = getmetatable, setmetatable, tonumber, math.sqrt, math.floor

local methods = {}
local meta = { __name = "vector", __index = methods }

local function new(x, y, z)
  return setmetatable({ x = tonumber(x) or 0, y = tonumber(y) or 0, z = tonumber(z) or 0 }, meta)
end

function methods.add(self, o)
  if getmetatable(self) ~= meta then expect(1, "add", self, "vector") end
  if getmetatable(o) ~= meta then expect(2, "add", o, "vector") end
  return new(self.x + o.x, self.y + o.y, self.z + o.z)
end

function methods.sub(self, o)
  if getmetatable(self) ~= meta then expect(1, "sub", self, "vector") end
  if getmetatable(o) ~= meta then expect(2, "sub", o, "vector") end
  return new(self.x - o.x, self.y - o.y, self.z - o.z)
end

function methods.mul(self, factor)
  if getmetatable(self) ~= meta then expect(1, "mul", self, "vector") end
  expect(2, "mul", factor, "number")
  return new(self.x * factor, self.y * factor, self.z * factor)
end

function methods.div(self, factor)
  if getmetatable(self) ~= meta then expect(1, "div", self, "vector") end
  expect(2, "div", factor, "number")
  return new(self.x / factor, self.y / factor, self.z / factor)
end

function methods.unm(self)
  if getmetatable(self) ~= meta then expect(1, "unm", self, "vector") end
  return new(-self.x, -self.y, -self.z)
end

function methods.dot(self, o)
  if getmetatable(self) ~= meta then expect(1, "dot", self, "vector") end
  if getmetatable(o) ~= meta then expect(2, "dot", o, "vector") end
  return self.x * o.x + self.y * o.y + self.z * o.z
end

function methods.cross(self, o)
  if getmetatable(self) ~= meta then expect(1, "cross", self, "vector") end
  if getmetatable(o) ~= meta then expect(2, "cross", o, "vector") end
  return new(self.y * o.z - self.z * o.y, self.z * o.x - self.x * o.z, self.x * o.y - self.y * o.x)
end

function methods.length(self)
  if getmetatable(self) ~= meta then expect(1, "length", self, "vector") end
  return sqrt(self.x * self.x + self.y * self.y + self.z * self.z)
end

function methods.normalize(self)
  return self:mul(1 / self:length())
end

function methods.round(self, tolerance)
  if getmetatable(self) ~= meta then expect(1, "round", self, "vector") end
  expect(2, "round", tolerance, "number", "nil")
  tolerance = tolerance or 1.0
  local function r(c) return floor((c + tolerance * 0.5) / tolerance) * tolerance end
  return new(r(self.x), r(self.y), r(self.z))
end

function methods.tostring(self)
  if getmetatable(self) ~= meta then expect(1, "tostring", self, "vector") end
  return self.x .. "," .. self.y .. "," .. self.z
end

function methods.equals(self, o)
  if getmetatable(self) ~= meta then expect(1, "equals", self, "vector") end
  if getmetatable(o) ~= meta then expect(2, "equals", o, "vector") end
  return self.x == o.x and self.y == o.y and self.z == o.z
end

meta.__add = methods.add
meta.__sub = methods.sub
meta.__mul = methods.mul
meta.__div = methods.div
meta.__unm = methods.unm
meta.__tostring = methods.tostring
meta.__eq = methods.equals

G.vector = { new = new }
