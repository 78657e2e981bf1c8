//! A response the script never closes (S8): at the deadline the client gets
//! what was set and written so far, the handles become closed (R8), and the
//! server keeps serving.

use std::time::{Duration, Instant};

use craftos_http_tests::raw::{self, Conn};
use craftos_http_tests::server::{Options, Server};

/// Holds `/hang` (status, header and body set, never closed) and `/silent`
/// (nothing set); `/check` reports what using the held handles does now;
/// other paths get `ok PATH`.
const NEVER_CLOSES: &str = r#"
local held = {}
http.addListener(PORT)
while true do
  local ev, port, req, res = os.pullEvent()
  if ev == "http_request" then
    local url = req.getURL()
    if url == "/stop" then
      res.close()
      return
    elseif url == "/hang" then
      res.setStatusCode(202)
      res.setResponseHeader("X-Partial", "yes")
      res.write("written so far")
      held.hang, held.request = res, req
    elseif url == "/silent" then
      held.silent = res
    elseif url == "/check" then
      local lines = {}
      for _, name in ipairs({ "hang", "silent" }) do
        local ok, err = pcall(held[name].write, "late")
        lines[#lines + 1] = ("%s %s %s"):format(name, tostring(ok), tostring(err))
      end
      local ok, err = pcall(held.request.readAll)
      lines[#lines + 1] = ("request %s %s"):format(tostring(ok), tostring(err))
      res.write(table.concat(lines, "\n"))
      res.close()
    else
      res.write("ok " .. url)
      res.close()
    end
  end
end
"#;

const TIMEOUT: Duration = Duration::from_secs(1);

fn start() -> Server {
    Server::start_with(
        "never-closes",
        NEVER_CLOSES,
        &Options {
            response_timeout: TIMEOUT,
            ..Options::default()
        },
    )
}

/// The response time must be the deadline: not before, not much after.
fn assert_at_deadline(what: &str, elapsed: Duration) {
    assert!(
        elapsed >= TIMEOUT - Duration::from_millis(100) && elapsed < TIMEOUT * 4,
        "{what}: answered after {elapsed:?}, the deadline is {TIMEOUT:?}"
    );
}

#[test]
fn unclosed_response_is_sent_at_the_deadline() {
    let server = start();
    let port = server.port();

    let mut hang = Conn::open(port).expect("connect");
    let started = Instant::now();
    hang.send(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send");
    // Meanwhile another client is served at once.
    let other = raw::get(port, "/meanwhile");
    assert_eq!(other.text(), "ok /meanwhile");
    assert!(
        started.elapsed() < TIMEOUT,
        "a held response blocked another client"
    );

    let response = hang.read_response();
    assert_at_deadline("/hang", started.elapsed());
    assert_eq!(response.status, 202);
    assert_eq!(response.header("x-partial").as_deref(), Some("yes"));
    assert_eq!(response.text(), "written so far");
    assert_eq!(response.header("content-length").as_deref(), Some("14"));

    // Nothing set or written: an empty 200.
    let started = Instant::now();
    let silent = raw::get(port, "/silent");
    assert_at_deadline("/silent", started.elapsed());
    assert_eq!(silent.status, 200);
    assert!(silent.body.is_empty());

    // The next request is served, and the held handles are closed (R8).
    let check = raw::get(port, "/check");
    assert_eq!(check.status, 200);
    let text = check.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for (line, name) in lines.iter().zip(["hang", "silent", "request"]) {
        assert!(
            line.starts_with(&format!("{name} false "))
                && line.ends_with("attempt to use a closed file"),
            "{name} after the deadline: {line}"
        );
    }
    server.stop();
}
