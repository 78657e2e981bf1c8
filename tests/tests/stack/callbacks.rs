//! Callbacks that raise (H4): `http.listen` answers 500 and lets the error
//! out; a script's own pcall loop keeps serving.

use craftos_http_runner::Outcome;
use craftos_http_tests::port::is_closed;
use craftos_http_tests::raw;
use craftos_http_tests::server::Server;

/// `http.listen` whose callback raises on `/boom` after writing a little.
const LISTEN_RAISES: &str = r#"
http.listen(PORT, function(req, res)
  local url = req.getURL()
  if url == "/boom" then
    res.write("partial")
    error("callback failed")
  end
  res.write("ok " .. url)
  res.close()
end)
"#;

/// The 1-based line of the script file that contains `needle`.
fn line_of(server: &Server, needle: &str) -> usize {
    let source = std::fs::read_to_string(server.script()).expect("read the script");
    source
        .lines()
        .position(|l| l.contains(needle))
        .expect("the needle is in the script")
        + 1
}

#[test]
fn listen_answers_500_and_the_error_propagates() {
    let server = Server::start("listen-error", LISTEN_RAISES);
    let port = server.port();
    let fine = raw::get(port, "/fine");
    assert_eq!((fine.status, fine.text().as_str()), (200, "ok /fine"));

    let boom = raw::get(port, "/boom");
    assert_eq!(boom.status, 500, "{boom:?}");

    let line = line_of(&server, "error(\"callback failed\")");
    match server.finish() {
        Outcome::Failed(message) => assert!(
            message.ends_with(&format!("listen-error.lua:{line}: callback failed")),
            "the error must leave http.listen unchanged, position included: {message:?}"
        ),
        other => panic!("expected the script to fail, got {other:?}"),
    }
    assert!(is_closed(port), "the listener outlived the script");
}

/// `pcall(http.listen, ...)` twice: once with a string error, once with a
/// table; checks each comes out unchanged (same string, same table), then
/// listens again to report and answers `/stop` with the report.
const LISTEN_ERROR_VALUES: &str = r#"
local tbl = {}
local ok1, err1 = pcall(http.listen, PORT, function(req, res) error("first") end)
local ok2, err2 = pcall(http.listen, PORT, function(req, res) error(tbl) end)
local report = ("%s|%s|%s|%s"):format(tostring(ok1), tostring(err1), tostring(ok2), tostring(rawequal(err2, tbl)))
http.listen(PORT, function(req, res)
  local stop = req.getURL() == "/stop"
  res.write(report)
  res.close()
  return stop
end)
"#;

#[test]
fn listen_errors_keep_their_value_and_the_port_can_be_listened_again() {
    let server = Server::start("listen-error-values", LISTEN_ERROR_VALUES);
    let port = server.port();
    // First listen: the string error; second: the table error.
    assert_eq!(raw::get(port, "/one").status, 500);
    // The listener is re-added by the second listen; wait for it through a
    // request that must be answered (with 500 again).
    assert_eq!(raw::get(port, "/two").status, 500);
    let first_line = line_of(&server, "error(\"first\")");
    let report = server.stop();
    let line = report.split('|').collect::<Vec<_>>();
    assert_eq!(line.len(), 4, "{report}");
    assert_eq!(line[0], "false");
    assert!(
        line[1].ends_with(&format!("listen-error-values.lua:{first_line}: first")),
        "string error changed: {:?}",
        line[1]
    );
    assert_eq!(line[2], "false");
    assert_eq!(line[3], "true", "the table error is not the same table");
}

/// `addListener` and an event loop that pcalls a handler, answering 500
/// itself when the handler raises.
const PCALL_LOOP: &str = r#"
local function handler(req, res)
  if req.getURL():find("^/boom") then
    res.write("half ")
    error("handler failed")
  end
  res.write("fine " .. req.getURL())
  res.close()
end
http.addListener(PORT)
while true do
  local ev, port, req, res = os.pullEvent()
  if ev == "http_request" then
    if req.getURL() == "/stop" then
      res.close()
      return
    end
    local ok, err = pcall(handler, req, res)
    if not ok then
      res.setStatusCode(500)
      res.write(err)
      res.close()
    end
  end
end
"#;

#[test]
fn pcall_loop_keeps_serving_after_handler_errors() {
    let server = Server::start("pcall-loop", PCALL_LOOP);
    let port = server.port();
    for i in 0..3 {
        let boom = raw::get(port, &format!("/boom/{i}"));
        assert_eq!(boom.status, 500, "{boom:?}");
        assert_eq!(boom.reason, "Internal Server Error");
        let text = boom.text();
        assert!(
            text.starts_with("half ") && text.ends_with(": handler failed"),
            "{text:?}"
        );
        let fine = raw::get(port, &format!("/fine/{i}"));
        assert_eq!(fine.status, 200);
        assert_eq!(fine.text(), format!("fine /fine/{i}"));
    }
    server.stop();
}
