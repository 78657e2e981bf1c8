-- The runner's side of `cargo xtask bench http`: answer every request with
-- 200 "hello". Run as `craftos-http benches/lua/hello.lua PORT`.
local port = tonumber(...)
http.listen(port, function(req, res)
    res.write("hello")
    res.close()
end)
