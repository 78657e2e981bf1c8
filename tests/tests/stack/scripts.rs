//! Lua script bodies several tests share (see `craftos_http_tests::server`
//! for what surrounds them).

/// Echo server: answers every request with its body, and its method and URL
/// in `X-Method` and `X-Url`. `GET /stop` answers the requests seen so far,
/// one `METHOD URL` a line, and ends the script.
pub const ECHO: &str = r#"
local seen = {}
http.addListener(PORT)
while true do
  local ev, port, req, res = os.pullEvent()
  if ev == "http_request" and port == PORT then
    local url = req.getURL()
    if url == "/stop" then
      res.write(table.concat(seen, "\n"))
      res.close()
      return
    end
    seen[#seen + 1] = req.getMethod() .. " " .. url
    res.setResponseHeader("X-Method", req.getMethod())
    res.setResponseHeader("X-Url", url)
    res.write(req.readAll())
    res.close()
  end
end
"#;

/// The lines of a `/stop` answer of [`ECHO`]: the requests the script saw.
pub fn seen(stop_body: &str) -> Vec<String> {
    stop_body
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}
