-- A static file server with a small JSON log API, all through `fs`.
-- Run: cargo run --release -- examples/static-site.lua [PORT] [FOLDER]
--   PORT defaults to 8080; FOLDER to `site`, a path inside fs's root (the
--   script's directory unless `--root DIR` says otherwise).
--   curl -s localhost:8080/                          (site/index.html)
--   curl -s -X POST -d '{"message":"hi"}' localhost:8080/api/log
--   curl -s localhost:8080/api/log                   (every entry, a JSON array)
-- Entries are appended to `log.jsonl` in fs's root, one JSON object a line,
-- so they survive a restart.
local port = tonumber((...)) or 8080
local folder = select(2, ...) or "site"
local LOG = "log.jsonl"

local types = {
  html = "text/html; charset=utf-8",
  htm = "text/html; charset=utf-8",
  css = "text/css; charset=utf-8",
  js = "text/javascript; charset=utf-8",
  json = "application/json",
  txt = "text/plain; charset=utf-8",
  png = "image/png",
  jpg = "image/jpeg",
  jpeg = "image/jpeg",
  gif = "image/gif",
  svg = "image/svg+xml",
  ico = "image/x-icon",
  wasm = "application/wasm",
}

local function send(res, status, contentType, body, headers)
  res.setStatusCode(status)
  res.setResponseHeader("Content-Type", contentType)
  for name, value in pairs(headers or {}) do res.setResponseHeader(name, value) end
  res.write(body)
  res.close()
  return status
end

local function sendJSON(res, status, value, headers)
  return send(res, status, "application/json", textutils.serializeJSON(value), headers)
end

local function notFound(res)
  return send(res, 404, "text/plain; charset=utf-8", "404 not found\n")
end

-- The request-target's path, as sent: no query, no `http://host` prefix.
local function rawPath(url)
  return (url:match("^[^?#]*"):gsub("^%a[%w+.-]*://[^/]*", ""))
end

-- The path percent-decoded; nil if it has a `..` segment (or any segment of
-- dots only, which some file systems read as `..`) or a NUL.
local function decodePath(raw)
  local path = raw:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end)
  if path:find("\0", 1, true) then return nil end
  for segment in path:gmatch("[^/\\]+") do
    if segment:match("^%.%.+$") then return nil end
  end
  return path
end

local function serveFile(res, method, raw)
  if method ~= "GET" and method ~= "HEAD" then
    return send(res, 405, "text/plain; charset=utf-8", "405 method not allowed\n", { Allow = "GET, HEAD" })
  end
  local path = decodePath(raw)
  if not path then return notFound(res) end
  local file = fs.combine(folder, path)
  if fs.isDir(file) then
    if path:sub(-1) ~= "/" then
      -- `/docs` -> `/docs/`, so that the page's relative links resolve.
      return send(res, 301, "text/plain; charset=utf-8", "", { Location = raw .. "/" })
    end
    file = fs.combine(file, "index.html")
  end
  if fs.isDir(file) or not fs.exists(file) then return notFound(res) end
  local handle = fs.open(file, "rb") -- binary: every byte as it is on disk
  if not handle then return notFound(res) end
  local body = handle.readAll() or ""
  handle.close()
  local ext = (file:match("%.([^./]+)$") or ""):lower()
  -- A HEAD answer is built as a GET one; the transport sends no body.
  return send(res, 200, types[ext] or "application/octet-stream", body)
end

local function readLog()
  local entries = {}
  local handle = fs.open(LOG, "r")
  if not handle then return entries end
  while true do
    local line = handle.readLine()
    if not line then break end
    -- A line that does not parse (a torn write) is skipped, not fatal.
    if line ~= "" and textutils.unserializeJSON(line) ~= nil then entries[#entries + 1] = line end
  end
  handle.close()
  return entries
end

local function serveLog(req, res, method)
  if method == "GET" then
    return send(res, 200, "application/json", "[" .. table.concat(readLog(), ",") .. "]")
  elseif method == "POST" then
    local entry, err = textutils.unserializeJSON(req.readAll() or "")
    if type(entry) ~= "table" then
      return sendJSON(res, 400, { error = err or "expected a JSON object or array" })
    end
    local record = { time = os.epoch("utc"), entry = entry }
    local handle, openErr = fs.open(LOG, "a")
    if not handle then return sendJSON(res, 500, { error = openErr }) end
    handle.writeLine(textutils.serializeJSON(record))
    handle.close()
    return sendJSON(res, 201, record)
  end
  return sendJSON(res, 405, { error = "method not allowed" }, { Allow = "GET, POST" })
end

local function route(req, res, method, url)
  local raw = rawPath(url)
  if raw == "/api/log" then return serveLog(req, res, method) end
  return serveFile(res, method, raw)
end

if not fs.isDir(folder) then error("no folder " .. fs.combine(folder) .. " to serve", 0) end
print(("Serving /%s on http://127.0.0.1:%d/"):format(fs.combine(folder), port))
http.listen(port, function(req, res)
  -- A callback that raises stops the server (and gets a 500), so one bad
  -- request is answered here and the server keeps going.
  -- (The handles close with the response: read what the log line needs first.)
  local method, url = req.getMethod(), req.getURL()
  local ok, status = pcall(route, req, res, method, url)
  if not ok then
    printError(status)
    status = 500
    pcall(send, res, 500, "text/plain; charset=utf-8", "500 internal error\n")
  end
  print(method, url, status)
end)
