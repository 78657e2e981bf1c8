//! Clients that vanish: before sending, halfway through the head, and after
//! a full request but before the response (S6: the script still gets the
//! event and `close()` succeeds).

use std::net::{Ipv4Addr, TcpStream};

use craftos_http_tests::raw::{self, Conn};
use craftos_http_tests::server::Server;

use crate::scripts::seen;

/// Holds the response to `/gone` until `/after` arrives, then writes and
/// closes it (its client has gone by then) and answers `/after` with what
/// the two `close()` calls returned. Other paths get `ok PATH`. `/stop`
/// answers the URLs seen.
const HOLD_UNTIL_AFTER: &str = r#"
local seen, gone, after = {}, nil, nil
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
    seen[#seen + 1] = url
    if url == "/gone" then
      gone = res
    elseif url == "/after" then
      after = res
    else
      res.write("ok " .. url)
      res.close()
    end
    if gone and after then
      gone.write("nobody reads this")
      local ok, err = pcall(gone.close)
      local again, again_err = pcall(gone.close)
      after.write(("%s %s\n%s %s"):format(tostring(ok), tostring(err), tostring(again), tostring(again_err)))
      after.close()
      gone, after = nil, nil
    end
  end
end
"#;

#[test]
fn vanishing_clients_do_not_disturb_the_server() {
    let server = Server::start("vanish", HOLD_UNTIL_AFTER);
    let port = server.port();

    // Connect and close without a byte, a few times.
    for _ in 0..3 {
        drop(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect"));
    }
    // Half a request head, then close.
    let mut half = Conn::open(port).expect("connect");
    half.send(b"GET /half HTTP/1.1\r\nHost: x\r\nX-Partial: ")
        .expect("send");
    drop(half);
    // A full request, then close before any response.
    let mut gone = Conn::open(port).expect("connect");
    gone.send(b"GET /gone HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send");
    drop(gone);

    // The script answers /after once it has had /gone: so /gone was
    // delivered although its client left, and its close() succeeded.
    let after = raw::get(port, "/after");
    assert_eq!(after.status, 200, "{after:?}");
    let text = after.text();
    let (first, second) = text.split_once('\n').expect("two lines");
    assert_eq!(first, "true nil", "close() after the client left (S6)");
    assert!(
        second.starts_with("false ") && second.contains("attempt to use a closed file"),
        "a second close() must raise (S6): {second}"
    );

    let normal = raw::get(port, "/normal");
    assert_eq!(normal.status, 200);
    assert_eq!(normal.text(), "ok /normal");

    let mut urls = seen(&server.stop());
    urls.sort();
    assert_eq!(
        urls,
        ["/after", "/gone", "/normal"],
        "the half request must not reach the script"
    );
}

#[test]
fn client_gone_while_the_script_waits_to_close() {
    // The same, with the /gone client leaving while its response is held
    // for a while (the /after request comes later).
    let server = Server::start("vanish-late", HOLD_UNTIL_AFTER);
    let port = server.port();
    let mut gone = Conn::open(port).expect("connect");
    gone.send(b"POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody")
        .expect("send");
    // Let the request reach the script before the client leaves.
    std::thread::sleep(std::time::Duration::from_millis(200));
    drop(gone);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let after = raw::get(port, "/after");
    assert_eq!(after.status, 200, "{after:?}");
    assert!(after.text().starts_with("true nil\n"), "{:?}", after.text());
    let normal = raw::get(port, "/normal");
    assert_eq!(normal.text(), "ok /normal");
    server.stop();
}
