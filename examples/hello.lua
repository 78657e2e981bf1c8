-- The smallest server: answer every request with "hello".
-- Run: cargo run --release -- examples/hello.lua [PORT]   (default 8080)
local port = tonumber((...)) or 8080
print("Serving http://127.0.0.1:" .. port .. "/")
http.listen(port, function(req, res)
  res.write("hello")
  res.close()
end)
