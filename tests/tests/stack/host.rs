//! The multi-computer host (`craftos_http_runner::host`): several computers on
//! one transport and one thread, each with its own ports and limits.
//!
//! - two computers answer their own requests (their ids differ);
//! - port ownership between computers (L3, W1): the other computer's port
//!   is refused with `Address already in use`, and its owner keeps serving;
//! - shutting one computer down (L6) answers its open request with 503,
//!   closes its websocket client with 1001 and frees its port, while the
//!   other computer serves on, its open request and websocket untouched;
//! - a reboot (starting the same id again) serves again;
//! - back-pressure per computer (E2): over its event bound, requests wait up
//!   to the deadline, then get 503 with `Retry-After`; accepted ones get
//!   their real answer;
//! - the connection cap per computer: over it, 503 and close.
//!
//! The host runs on a thread of its own ([`TestHost`]), stopped at the end of
//! every test, failed ones included.

use std::collections::HashMap;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use craftos_http_hyper::Limits;
use craftos_http_runner::host::{Host, HostConfig, HostHandle};
use craftos_http_runner::{ComputerSpec, Outcome};
use craftos_http_tests::STEP;
use craftos_http_tests::client::{self, block_on, within};
use craftos_http_tests::port::{free_port, is_closed, wait_for_port};
use craftos_http_tests::raw::{self, Conn, Response};
use craftos_http_tests::tempdir::TempDir;
use futures_util::{SinkExt as _, StreamExt as _};
use hyper::{Method, StatusCode};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

/// The longest a test's client side may take.
const LIMIT: Duration = Duration::from_secs(60);

/// A computer of the tests. Arguments: its port, another computer's port
/// (for `/steal`), a tag added to its answers (to tell boots apart).
///
/// - `GET /hold` is kept open until `/release`, which answers every held
///   request with `released` (and itself with how many);
/// - `GET /held` answers how many requests are held;
/// - `GET /steal` tries `http.addListener` and `http.websocketServer` on the
///   other port and answers what they gave;
/// - anything else: `computer ID port PORT TAG URL`.
///
/// The port also serves websocket clients (L7): each message is echoed as
/// `computer ID: MESSAGE`.
const COMPUTER: &str = r#"
local args = { ... }
local port, other, tag = tonumber(args[1]), tonumber(args[2]), args[3] or ""
local id = os.getComputerID()
http.addListener(port)
local server = assert(http.websocketServer(port))
local held, clients = {}, {}
while true do
  local ev, a, b, c = os.pullEvent()
  if ev == "http_request" then
    local req, res = b, c
    local url = req.getURL()
    if url == "/hold" then
      held[#held + 1] = res
    elseif url == "/held" then
      res.write(tostring(#held))
      res.close()
    elseif url == "/release" then
      for _, r in ipairs(held) do
        r.write("released")
        r.close()
      end
      res.write(tostring(#held))
      res.close()
      held = {}
    elseif url == "/steal" then
      local ok, err = pcall(http.addListener, other)
      local ws, reason = http.websocketServer(other)
      res.write(("addListener %s %s\nwebsocketServer %s %s"):format(
        tostring(ok), tostring(err), tostring(ws), tostring(reason)))
      res.close()
    else
      res.write(("computer %d port %d%s %s"):format(id, port, tag, url))
      res.close()
    end
  elseif ev == "websocket_server_connect" then
    clients[b.clientID] = b
  elseif ev == "websocket_server_message" then
    local client = clients[a]
    if client then client.send(("computer %d: %s"):format(id, b)) end
  elseif ev == "websocket_server_closed" then
    clients[a] = nil
  end
end
"#;

/// The slow computer of the back-pressure test: computes for [`SLOW_MS`]
/// (a busy loop on `os.epoch`, pulling no event) on each request, then
/// answers `answer URL`.
///
/// Slow on every request rather than stalled once: the response deadline
/// (S8) runs from the moment an event is queued, so one stall longer than
/// the deadline would expire the queued requests as well (sent as built so
/// far, their handles closed) and none would get its real answer; E2's
/// waiters and S8's queued requests time out alike.
const SLOW: &str = r#"
local port = tonumber((...))
http.addListener(port)
while true do
  local ev, _, req, res = os.pullEvent()
  if ev == "http_request" then
    local url = req.getURL()
    if url:sub(1, 6) == "/slow/" then
      local t = os.epoch("utc")
      while os.epoch("utc") - t < 100 do end
    end
    res.write("answer " .. url)
    res.close()
  end
end
"#;

/// The busy time per request of [`SLOW`], in ms.
const SLOW_MS: u64 = 100;

/// A host on a thread of its own, with a directory for its scripts. Dropping
/// it stops the host and waits (bounded) for its thread.
struct TestHost {
    handle: HostHandle,
    done: Receiver<HashMap<u32, Outcome>>,
    thread: Option<JoinHandle<()>>,
    dir: TempDir,
}

impl TestHost {
    fn new(config: HostConfig) -> TestHost {
        let (handle_tx, handle_rx) = channel();
        let (done_tx, done) = channel();
        let thread = std::thread::Builder::new()
            .name("host".into())
            .spawn(move || {
                let host = Host::new(config).expect("a host");
                handle_tx.send(host.handle()).expect("send the handle");
                let _ = done_tx.send(host.run());
            })
            .expect("spawn the host's thread");
        let handle = handle_rx.recv_timeout(STEP).expect("the host's handle");
        TestHost {
            handle,
            done,
            thread: Some(thread),
            dir: TempDir::new(),
        }
    }

    /// Write `source` as `name` in the host's directory.
    fn script(&self, name: &str, source: &str) -> PathBuf {
        self.dir.write(name, source)
    }

    /// Start computer `id` running `script` with `args` and `limits`, and
    /// wait until `port` accepts connections.
    fn start(&self, id: u32, script: &Path, args: &[String], limits: Limits, port: u16) {
        let mut spec = ComputerSpec::from_file(id, script).expect("read the script");
        spec.args = args.to_vec();
        spec.limits = limits;
        self.handle
            .start(spec)
            .unwrap_or_else(|e| panic!("start computer {id}: {e}"));
        assert!(
            wait_for_port(port, STEP, || false),
            "computer {id} did not listen on {port} within {STEP:?}"
        );
    }

    /// Stop the host; how each computer still running ended, by id.
    fn stop(mut self) -> HashMap<u32, Outcome> {
        self.handle.stop();
        let ended = self
            .done
            .recv_timeout(STEP)
            .unwrap_or_else(|_| panic!("the host did not stop within {STEP:?}"));
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the host's thread");
        }
        ended
    }
}

impl Drop for TestHost {
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        // A test failed: stop the host, and wait a little for it so its
        // ports are free before the next test.
        self.handle.stop();
        if self.done.recv_timeout(STEP).is_ok() {
            let _ = thread.join();
        }
    }
}

/// `[port, other, tag]` for [`COMPUTER`].
fn args(port: u16, other: u16, tag: &str) -> Vec<String> {
    vec![port.to_string(), other.to_string(), tag.to_owned()]
}

/// `GET path` on a new connection, as text; panics unless 200.
fn get_text(port: u16, path: &str) -> String {
    let response = raw::get(port, path);
    assert_eq!(response.status, 200, "GET {path} on {port}: {response:?}");
    response.text()
}

/// `GET /hold` on a new connection, left waiting; returns once the
/// computer holds `expected` requests.
fn hold(port: u16, expected: usize) -> Conn {
    let mut conn = Conn::open(port).expect("connect");
    conn.send(b"GET /hold HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send /hold");
    let deadline = Instant::now() + STEP;
    while get_text(port, "/held") != expected.to_string() {
        assert!(Instant::now() < deadline, "/hold not held on {port}");
        std::thread::sleep(Duration::from_millis(10));
    }
    conn
}

type Ws = WebSocketStream<TcpStream>;

/// A websocket client of `127.0.0.1:port`.
async fn ws_connect(port: u16) -> Ws {
    let stream = within("ws connect", TcpStream::connect(("127.0.0.1", port)))
        .await
        .expect("connect");
    let url = format!("ws://127.0.0.1:{port}/");
    let (ws, _) = within("ws handshake", tokio_tungstenite::client_async(url, stream))
        .await
        .expect("handshake");
    ws
}

/// Send `text` and expect the computer's echo `computer ID: text`.
async fn ws_echo(ws: &mut Ws, id: u32, text: &str) {
    ws.send(Message::text(text)).await.expect("ws send");
    let got = within("ws echo", ws.next()).await;
    match got {
        Some(Ok(Message::Text(t))) => assert_eq!(t.as_str(), format!("computer {id}: {text}")),
        other => panic!("expected the echo of {text:?} from computer {id}, got {other:?}"),
    }
}

#[test]
fn two_computers_answer_their_own_requests() {
    let host = TestHost::new(HostConfig::default());
    let script = host.script("computer.lua", COMPUTER);
    let (p1, p2) = (free_port(), free_port());
    host.start(1, &script, &args(p1, p2, ""), Limits::default(), p1);
    host.start(2, &script, &args(p2, p1, ""), Limits::default(), p2);

    for round in 0..3 {
        let path = format!("/round{round}");
        assert_eq!(get_text(p1, &path), format!("computer 1 port {p1} {path}"));
        assert_eq!(get_text(p2, &path), format!("computer 2 port {p2} {path}"));
    }
    // Concurrently, over keep-alive connections to both.
    block_on(LIMIT, async move {
        let mut tasks = tokio::task::JoinSet::new();
        for (id, port) in [(1u32, p1), (2, p2)] {
            for c in 0..10 {
                tasks.spawn(async move {
                    let mut conn = client::connect(port).await;
                    for r in 0..5 {
                        let path = format!("/c{c}/r{r}");
                        let request = client::request(Method::GET, &path, "");
                        let reply = client::send(&mut conn, request).await;
                        assert_eq!(reply.status, StatusCode::OK);
                        assert_eq!(reply.body, format!("computer {id} port {port} {path}"));
                    }
                });
            }
        }
        while let Some(result) = tasks.join_next().await {
            result.expect("a client task panicked");
        }
        // Each computer's websocket echoes with its own id.
        let mut ws1 = ws_connect(p1).await;
        let mut ws2 = ws_connect(p2).await;
        ws_echo(&mut ws1, 1, "one").await;
        ws_echo(&mut ws2, 2, "two").await;
    });

    let ended = host.stop();
    assert!(
        ended.values().all(|o| matches!(o, Outcome::Terminated)),
        "{ended:?}"
    );
    assert!(is_closed(p1) && is_closed(p2), "ports left open");
}

#[test]
fn another_computers_port_is_refused_and_its_owner_keeps_serving() {
    let host = TestHost::new(HostConfig::default());
    let script = host.script("computer.lua", COMPUTER);
    let (p1, p2) = (free_port(), free_port());
    host.start(1, &script, &args(p1, p2, ""), Limits::default(), p1);
    host.start(2, &script, &args(p2, p1, ""), Limits::default(), p2);

    let report = get_text(p2, "/steal");
    let (listen, ws) = report.split_once('\n').expect("two lines");
    assert!(
        listen.starts_with("addListener false ")
            && listen.contains("Could not open server: ")
            && listen.contains("Address already in use"),
        "http.addListener on computer 1's port (L3): {listen}"
    );
    assert!(
        ws.starts_with("websocketServer nil ") && ws.contains("Address already in use"),
        "http.websocketServer on computer 1's port (W1): {ws}"
    );
    // Computer 1 keeps its port, HTTP and websocket; computer 2 its own.
    assert_eq!(get_text(p1, "/mine"), format!("computer 1 port {p1} /mine"));
    assert_eq!(get_text(p2, "/mine"), format!("computer 2 port {p2} /mine"));
    block_on(LIMIT, async move {
        let mut ws = ws_connect(p1).await;
        ws_echo(&mut ws, 1, "still mine").await;
    });
    // Computer 1 may take computer 2's port only once computer 2 is gone.
    let report = get_text(p1, "/steal");
    assert!(report.contains("Address already in use"), "{report}");
    assert!(host.handle.shutdown(2).is_some(), "computer 2 was running");
    let report = get_text(p1, "/steal");
    assert!(
        report.starts_with("addListener true nil\nwebsocketServer table: "),
        "computer 2's port once it is gone: {report}"
    );
    assert_eq!(
        get_text(p2, "/taken"),
        format!("computer 1 port {p1} /taken")
    );
    host.stop();
}

#[test]
fn shutting_one_computer_down_leaves_the_other_alone() {
    let host = TestHost::new(HostConfig::default());
    let script = host.script("computer.lua", COMPUTER);
    let (p1, p2) = (free_port(), free_port());
    host.start(1, &script, &args(p1, p2, ""), Limits::default(), p1);
    host.start(2, &script, &args(p2, p1, ""), Limits::default(), p2);

    // An open request on each computer.
    let mut held1 = hold(p1, 1);
    let mut held2 = hold(p2, 1);
    let handle = host.handle.clone();
    let outcome = block_on(LIMIT, async move {
        let mut ws1 = ws_connect(p1).await;
        let mut ws2 = ws_connect(p2).await;
        ws_echo(&mut ws1, 1, "before").await;
        ws_echo(&mut ws2, 2, "before").await;

        // Computer 2 is asked for a steady stream of requests while
        // computer 1 shuts down.
        let stop = Arc::new(AtomicBool::new(false));
        let busy = tokio::spawn({
            let stop = stop.clone();
            async move {
                let mut conn = client::connect(p2).await;
                let mut answered = 0u32;
                while !stop.load(Ordering::Relaxed) || answered < 10 {
                    let path = format!("/during{answered}");
                    let reply =
                        client::send(&mut conn, client::request(Method::GET, &path, "")).await;
                    assert_eq!(reply.status, StatusCode::OK, "{path}");
                    assert_eq!(reply.body, format!("computer 2 port {p2} {path}"));
                    answered += 1;
                }
                answered
            }
        });

        let outcome = tokio::task::spawn_blocking(move || handle.shutdown(1))
            .await
            .expect("shutdown");

        // Computer 1's websocket client gets a close frame 1001 (L6).
        match within("close of computer 1's client", ws1.next()).await {
            Some(Ok(Message::Close(Some(frame)))) => {
                assert_eq!(u16::from(frame.code), 1001, "{frame:?}")
            }
            other => panic!("computer 1's client: expected a close frame 1001, got {other:?}"),
        }
        // Computer 2's sees nothing, and still echoes.
        let quiet = tokio::time::timeout(Duration::from_millis(300), ws2.next()).await;
        assert!(quiet.is_err(), "computer 2's client got {quiet:?}");
        ws_echo(&mut ws2, 2, "after").await;

        stop.store(true, Ordering::Relaxed);
        let answered = within("computer 2's requests", busy)
            .await
            .expect("busy task");
        assert!(answered >= 10, "{answered}");
        outcome
    });
    assert!(
        matches!(outcome, Some(Outcome::Terminated)),
        "shutdown(1) returned {outcome:?}"
    );

    // Computer 1's open request got 503 (L6); its port is free.
    let reply = held1.read_response();
    assert_eq!(reply.status, 503, "computer 1's open request: {reply:?}");
    assert!(is_closed(p1), "computer 1's port still accepts connections");
    drop(TcpListener::bind((Ipv4Addr::LOCALHOST, p1)).expect("bind computer 1's port"));
    // Computer 2's open request is still open, and answered when it says.
    match held2.read_reply_within(Duration::from_millis(300)) {
        Err(_) => {}
        Ok(reply) => panic!("computer 2's open request was touched: {reply:?}"),
    }
    assert_eq!(get_text(p2, "/release"), "1");
    let reply: Response = held2.read_response();
    assert_eq!((reply.status, reply.text().as_str()), (200, "released"));
    assert_eq!(get_text(p2, "/end"), format!("computer 2 port {p2} /end"));

    // Shutting it down again: it is not running.
    assert!(host.handle.shutdown(1).is_none());
    let ended = host.stop();
    assert_eq!(ended.keys().collect::<Vec<_>>(), [&2], "{ended:?}");
}

#[test]
fn a_rebooted_computer_serves_again() {
    let host = TestHost::new(HostConfig::default());
    let script = host.script("computer.lua", COMPUTER);
    let (p1, p2) = (free_port(), free_port());
    host.start(1, &script, &args(p1, p2, " boot1"), Limits::default(), p1);
    host.start(2, &script, &args(p2, p1, ""), Limits::default(), p2);
    assert_eq!(get_text(p1, "/"), format!("computer 1 port {p1} boot1 /"));

    // Starting the same id while it runs reboots it: its clients are
    // closed (1001), its open request answered 503, the new boot serves.
    let mut held = hold(p1, 1);
    let handle = host.handle.clone();
    block_on(LIMIT, async move {
        let mut ws = ws_connect(p1).await;
        ws_echo(&mut ws, 1, "boot1").await;
        tokio::task::spawn_blocking(move || {
            let mut spec = ComputerSpec::from_file(1, &script).expect("read the script");
            spec.args = args(p1, p2, " boot2");
            handle.start(spec)
        })
        .await
        .expect("start")
        .expect("reboot computer 1");
        match within("close on reboot", ws.next()).await {
            Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1001),
            other => panic!("expected a close frame 1001 on reboot, got {other:?}"),
        }
    });
    assert_eq!(held.read_response().status, 503);
    assert!(wait_for_port(p1, STEP, || false));
    assert_eq!(get_text(p1, "/"), format!("computer 1 port {p1} boot2 /"));
    assert_eq!(get_text(p1, "/held"), "0", "a fresh computer");

    // Shut down, then started again.
    assert!(host.handle.shutdown(1).is_some());
    assert!(is_closed(p1));
    let script = host.dir.path().join("computer.lua");
    host.start(1, &script, &args(p1, p2, " boot3"), Limits::default(), p1);
    assert_eq!(get_text(p1, "/"), format!("computer 1 port {p1} boot3 /"));
    block_on(LIMIT, async move {
        let mut ws = ws_connect(p1).await;
        ws_echo(&mut ws, 1, "boot3").await;
    });
    // Computer 2 served throughout.
    assert_eq!(get_text(p2, "/"), format!("computer 2 port {p2} /"));
    let ended = host.stop();
    assert_eq!(ended.len(), 2, "{ended:?}");
}

#[test]
fn failing_computers_do_not_disturb_the_others() {
    let host = TestHost::new(HostConfig::default());
    let script = host.script("computer.lua", COMPUTER);
    let (p1, p3) = (free_port(), free_port());
    host.start(1, &script, &args(p1, p3, ""), Limits::default(), p1);

    // A script that does not compile is not started.
    let broken = host.script("broken.lua", "this is not lua");
    let spec = ComputerSpec::from_file(2, &broken).expect("read the script");
    let err = host
        .handle
        .start(spec)
        .expect_err("a script that does not compile");
    assert!(err.contains("broken.lua"), "{err}");
    assert!(
        host.handle.shutdown(2).is_none(),
        "computer 2 is not running"
    );

    // A script that fails after listening: its port is released (L6).
    let failing = host.script(
        "failing.lua",
        "local port = tonumber((...))\n\
         http.addListener(port)\n\
         local _, _, req, res = os.pullEvent(\"http_request\")\n\
         error(\"boom at \" .. req.getURL(), 0)\n",
    );
    host.start(3, &failing, &[p3.to_string()], Limits::default(), p3);
    let reply = raw::get(p3, "/fail");
    assert_eq!(
        reply.status, 503,
        "the request the script dropped: {reply:?}"
    );
    match host.handle.shutdown(3) {
        Some(Outcome::Failed(message)) => assert_eq!(message, "boom at /fail"),
        other => panic!("computer 3 ended with {other:?}"),
    }
    assert!(is_closed(p3), "a failed computer's port stays open");
    assert_eq!(get_text(p1, "/"), format!("computer 1 port {p1} /"));
    host.stop();
}

/// Requests of the back-pressure test, all at once.
const FLOOD: usize = 30;
/// The slow computer's event bound.
const BOUND: usize = 4;
/// Its response deadline.
const DEADLINE: Duration = Duration::from_secs(1);

#[test]
fn a_computer_over_its_event_bound_answers_503_after_the_deadline() {
    // The script computes without pulling events; sockets and deadlines
    // must go on meanwhile, on an I/O thread.
    let host = TestHost::new(HostConfig {
        io_threads: 1,
        ..HostConfig::default()
    });
    let slow = host.script("slow.lua", SLOW);
    let fast = host.script("computer.lua", COMPUTER);
    let (p1, p2) = (free_port(), free_port());
    let limits = Limits {
        event_bound: BOUND,
        response_timeout: DEADLINE,
        ..Limits::default()
    };
    host.start(1, &slow, &[p1.to_string()], limits, p1);
    host.start(2, &fast, &args(p2, p1, ""), Limits::default(), p2);

    // Computer 1 takes a request every SLOW_MS: BOUND of them queue at
    // once and are answered well within the deadline; the rest wait for
    // room, and those still waiting at the deadline get 503.
    let replies = block_on(LIMIT, async move {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..FLOOD {
            tasks.spawn(async move {
                let mut conn = client::connect(p1).await;
                let path = format!("/slow/{i}");
                let sent = Instant::now();
                let reply = client::send(&mut conn, client::request(Method::GET, &path, "")).await;
                (path, reply, sent.elapsed())
            });
        }
        // Computer 2 answers meanwhile (between computer 1's turns: they
        // share the host's thread).
        let started = Instant::now();
        let mut conn = client::connect(p2).await;
        for r in 0..5 {
            let path = format!("/fast{r}");
            let reply = client::send(&mut conn, client::request(Method::GET, &path, "")).await;
            assert_eq!(reply.body, format!("computer 2 port {p2} {path}"));
        }
        let fast = started.elapsed();
        let mut replies = Vec::new();
        while let Some(result) = tasks.join_next().await {
            replies.push(result.expect("a client task panicked"));
        }
        (replies, fast)
    });
    let (replies, fast) = replies;
    eprintln!("computer 2: 5 requests in {fast:?} while computer 1 was flooded");
    let mut ok = 0;
    let mut busy = 0;
    for (path, reply, elapsed) in &replies {
        match reply.status {
            StatusCode::OK => {
                ok += 1;
                assert_eq!(reply.body, format!("answer {path}"), "{path}");
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert!(
                    reply.header("retry-after").is_some(),
                    "{path}: 503 without Retry-After: {reply:?}"
                );
                assert!(
                    *elapsed >= DEADLINE - Duration::from_millis(100),
                    "{path}: 503 after {elapsed:?}, before the deadline"
                );
            }
            other => panic!("{path}: unexpected {other} after {elapsed:?}: {reply:?}"),
        }
    }
    eprintln!("{ok} answered, {busy} refused with 503");
    assert_eq!(ok + busy, FLOOD);
    assert!(ok >= BOUND, "only {ok} of {FLOOD} answered: {replies:?}");
    // At most one request per SLOW_MS is taken: within the deadline, far
    // fewer than FLOOD.
    let most = BOUND + (DEADLINE.as_millis() as usize / SLOW_MS as usize) + 3;
    assert!(
        busy >= 1 && ok <= most,
        "{ok} answered and {busy} refused, expected at most {most} answered"
    );

    // Pulling again, it answers as usual.
    assert_eq!(get_text(p1, "/after"), "answer /after");
    host.stop();
}

#[test]
fn connections_over_a_computers_cap_get_503_and_are_closed() {
    let host = TestHost::new(HostConfig::default());
    let script = host.script("computer.lua", COMPUTER);
    let (p1, p2) = (free_port(), free_port());
    let limits = Limits {
        max_connections: 2,
        ..Limits::default()
    };
    // The cap is per computer: computer 2 has the default one.
    host.start(1, &script, &args(p1, p2, ""), limits, p1);
    host.start(2, &script, &args(p2, p1, ""), Limits::default(), p2);

    let request = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    // The probe connection of `start` may still hold a slot for a moment:
    // retry until both connections are served (bounded).
    let open_served = |name: &str| {
        let deadline = Instant::now() + STEP;
        loop {
            let mut conn = Conn::open(p1).expect("connect");
            conn.send(request(&format!("/{name}")).as_bytes())
                .expect("send");
            let reply = conn.read_response();
            if reply.status == 503 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            assert_eq!(reply.text(), format!("computer 1 port {p1} /{name}"));
            return conn;
        }
    };
    let mut first = open_served("first");
    let mut second = open_served("second");
    // A third, while both are open (keep-alive): 503 at once, then closed.
    let mut third = Conn::open(p1).expect("connect");
    let _ = third.send(request("/third").as_bytes());
    let reply = third.read_reply().expect("an answer");
    let closed = reply.closed;
    let response = reply.expect_response();
    assert_eq!(response.status, 503, "{response:?}");
    assert!(
        closed || third.is_closed_within(STEP),
        "the third connection stayed open"
    );
    // The first two still work; computer 2 is not capped by them.
    for (name, conn) in [("first", &mut first), ("second", &mut second)] {
        conn.send(request(&format!("/{name}/again")).as_bytes())
            .expect("send");
        let reply = conn.read_response();
        assert_eq!(reply.text(), format!("computer 1 port {p1} /{name}/again"));
    }
    let mut others: Vec<Conn> = (0..3).map(|_| Conn::open(p2).expect("connect")).collect();
    for (i, conn) in others.iter_mut().enumerate() {
        conn.send(request(&format!("/other{i}")).as_bytes())
            .expect("send");
        assert_eq!(conn.read_response().status, 200);
    }
    // Once one of the two closes, a new connection is served.
    drop(first);
    let deadline = Instant::now() + STEP;
    loop {
        let reply = raw::exchange(p1, request("/later").as_bytes()).expect("an answer");
        match reply.status() {
            Some(200) => break,
            Some(503) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => panic!("after a connection closed: {reply:?}"),
        }
    }
    host.stop();
}
