-- A small JSON API kept in memory: GET /items lists, POST /items adds the
-- JSON object in the body, anything else is 404.
-- Run: cargo run --release -- examples/json-api.lua [PORT]   (default 8080)
--   curl -s localhost:8080/items
--   curl -s -X POST -d '{"name":"pickaxe"}' localhost:8080/items
local port = tonumber((...)) or 8080
local items = {}

local function reply(res, status, value)
  res.setStatusCode(status)
  res.setResponseHeader("Content-Type", "application/json")
  res.write(textutils.serializeJSON(value))
  res.close()
end

print("JSON API on http://127.0.0.1:" .. port .. "/items")
http.listen(port, function(req, res)
  local path = req.getURL():match("^[^?]*")
  if path ~= "/items" then
    return reply(res, 404, { error = "not found" })
  end
  local method = req.getMethod()
  if method == "GET" then
    reply(res, 200, { items = items, count = #items })
  elseif method == "POST" then
    local item, err = textutils.unserializeJSON(req.readAll() or "")
    if type(item) ~= "table" then
      return reply(res, 400, { error = err or "expected a JSON object" })
    end
    items[#items + 1] = item
    reply(res, 201, { id = #items })
  else
    res.setResponseHeader("Allow", "GET, POST")
    reply(res, 405, { error = "method not allowed" })
  end
end)
