//! Malformed requests over raw TCP. Each gets a 4xx or a closed connection
//! — never a hang, never a crash, never an event for the script — and a
//! valid request on a new connection is answered afterwards.

use craftos_http_tests::raw::{self, Conn, Reply};
use craftos_http_tests::server::Server;

use crate::scripts::{ECHO, seen};

/// Check `reply` is a rejection: a 4xx response, or the connection closed
/// without a response.
fn assert_rejected(case: &str, reply: &Reply) {
    match reply.status() {
        Some(status) => assert!(
            (400..500).contains(&status),
            "{case}: expected a 4xx, got {status}: {:?}",
            String::from_utf8_lossy(&reply.bytes)
        ),
        None => assert!(
            reply.closed,
            "{case}: neither a response nor a close: {:?}",
            String::from_utf8_lossy(&reply.bytes)
        ),
    }
}

/// After the bad request, the server still answers on a new connection, and
/// the script saw only that valid request.
fn assert_still_serving(server: Server, case: &str) {
    let after = raw::get(server.port(), "/after");
    assert_eq!(after.status, 200, "{case}: the next request: {after:?}");
    assert_eq!(after.header("x-url").as_deref(), Some("/after"));
    assert_eq!(
        seen(&server.stop()),
        ["GET /after"],
        "{case}: the script got an event for the malformed request"
    );
}

/// Send `bytes` on a new connection, expect a rejection, then a served
/// request.
fn rejected(case: &str, bytes: &[u8]) {
    let server = Server::start(case, ECHO);
    let reply =
        raw::exchange(server.port(), bytes).unwrap_or_else(|e| panic!("{case}: server hung: {e}"));
    assert_rejected(case, &reply);
    assert_still_serving(server, case);
}

#[test]
fn garbage_bytes() {
    rejected(
        "malformed-garbage",
        b"\x00\x01\x02\x03garbage \xff\xfe\xfd\r\n\r\n",
    );
}

#[test]
fn invalid_request_line() {
    rejected("malformed-request-line", b"HELLO\r\nHost: x\r\n\r\n");
}

#[test]
fn header_line_without_colon() {
    rejected(
        "malformed-no-colon",
        b"GET /nocolon HTTP/1.1\r\nHost: x\r\nThis line has no colon\r\n\r\n",
    );
}

/// Answers with the length of its `X-Huge` header; `/stop` as `ECHO`.
const HEADER_LENGTH: &str = r#"
local seen = {}
http.addListener(PORT)
while true do
  local ev, port, req, res = os.pullEvent()
  if ev == "http_request" then
    local url = req.getURL()
    if url == "/stop" then
      res.write(table.concat(seen, "\n"))
      res.close()
      return
    end
    seen[#seen + 1] = req.getMethod() .. " " .. url
    res.write(tostring(#(req.getRequestHeaders()["x-huge"] or "")))
    res.close()
  end
end
"#;

/// A request to `path` with an `X-Huge` header of `size` bytes.
fn huge_header_request(path: &str, size: usize) -> Vec<u8> {
    let mut bytes = format!("GET {path} HTTP/1.1\r\nHost: x\r\nX-Huge: ").into_bytes();
    bytes.extend(std::iter::repeat_n(b'a', size));
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

/// A 64 KiB header line. SEMANTICS sets no limit on header size, and hyper
/// buffers heads up to about 400 KiB, so this request is served (the
/// header reaches the script intact). A rejection (4xx or close, and no
/// event) would be fine too; a hang, a crash or a truncated header not.
#[test]
fn huge_header() {
    let case = "malformed-huge-header";
    let server = Server::start(case, HEADER_LENGTH);
    let size = 64 * 1024;
    let reply = raw::exchange(server.port(), &huge_header_request("/huge", size))
        .unwrap_or_else(|e| panic!("{case}: server hung: {e}"));
    let delivered = reply.status() == Some(200);
    if delivered {
        let response = reply.expect_response();
        assert_eq!(response.text(), size.to_string(), "the header was altered");
    } else {
        assert_rejected(case, &reply);
    }
    let after = raw::get(server.port(), "/after");
    assert_eq!(after.status, 200, "{case}: the next request: {after:?}");
    let expected: &[&str] = if delivered {
        &["GET /huge", "GET /after"]
    } else {
        &["GET /after"]
    };
    assert_eq!(seen(&server.stop()), expected);
}

/// A 1 MiB header line is more than any server buffers: rejected, no event.
#[test]
fn header_over_a_mebibyte() {
    let case = "malformed-mebibyte-header";
    let server = Server::start(case, HEADER_LENGTH);
    let reply = raw::exchange(server.port(), &huge_header_request("/huge", 1024 * 1024))
        .unwrap_or_else(|e| panic!("{case}: server hung: {e}"));
    assert_rejected(case, &reply);
    let after = raw::get(server.port(), "/after");
    assert_eq!(after.status, 200, "{case}: the next request: {after:?}");
    assert_eq!(seen(&server.stop()), ["GET /after"]);
}

#[test]
fn invalid_chunked_body() {
    rejected(
        "malformed-chunked",
        b"POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
          zz\r\nhello\r\n0\r\n\r\n",
    );
}

#[test]
fn conflicting_content_lengths() {
    rejected(
        "malformed-two-lengths",
        b"POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    );
}

#[test]
fn request_target_with_a_space() {
    rejected(
        "malformed-space-in-target",
        b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
    );
}

#[test]
fn body_shorter_than_content_length() {
    let case = "malformed-short-body";
    let server = Server::start(case, ECHO);
    let mut conn = Conn::open(server.port()).expect("connect");
    conn.send(b"POST /short HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")
        .expect("send");
    // The client is done: 90 bytes will never come.
    conn.shutdown_write();
    let reply = conn
        .read_reply()
        .unwrap_or_else(|e| panic!("{case}: server hung: {e}"));
    assert_rejected(case, &reply);
    // The same, with the client gone altogether.
    let mut gone = Conn::open(server.port()).expect("connect");
    gone.send(b"POST /short-gone HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nten bytes!")
        .expect("send");
    drop(gone);
    assert_still_serving(server, case);
}
