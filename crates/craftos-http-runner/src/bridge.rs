//! The control socket of the in-memory transport: lets another process
//! (the conformance harness) act as the computer's clients when the runner
//! serves over [`MemoryTransport`] instead of TCP.
//!
//! Each connection to the Unix socket is one client: JSON lines in, one JSON
//! line out per command. A connection sends `request`s (each answered with
//! its `response`, or `refused`), or one `connect` followed by websocket
//! commands (`send`, `ping`, `close`, `disconnect`, each answered `ok`);
//! once a websocket is accepted, every frame the server sends comes as a
//! `frame` line as soon as it is sent, and `ended` after the last. Bodies and
//! messages are arrays of byte values. Each connection is served by a thread
//! of its own (and a second one pumping its frames), which block on the
//! transport's waits, never on the computer's thread.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use craftos_http_core::memory::{Frames, MemoryTransport, MemoryWebSocket, Received, Upgrade};
use craftos_http_core::{Outgoing, Request, Response, status};
use serde::{Deserialize, Serialize};

/// A client's command.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Command {
    /// An HTTP request; answered with `response` or `refused`.
    Request(Head),
    /// Whether a port is served: `ok` or `refused` (a TCP connect's answer).
    Probe { port: u16 },
    /// A websocket handshake; answered with `accepted`, `response` or `refused`.
    Connect(Head),
    /// A whole message to the server.
    Send { data: Vec<u8>, binary: bool },
    /// A ping.
    Ping { data: Vec<u8> },
    /// A close frame, with or without a code.
    Close { code: Option<u16>, reason: Vec<u8> },
    /// Drop the connection without a close frame.
    Disconnect,
}

/// An HTTP request or handshake.
#[derive(Deserialize)]
struct Head {
    port: u16,
    method: String,
    target: Vec<u8>,
    headers: Vec<(String, Vec<u8>)>,
    #[serde(default)]
    body: Vec<u8>,
}

/// The answer to one command.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Reply {
    Response(Answer),
    Refused,
    Accepted { headers: Vec<(String, Vec<u8>)> },
    Frame(Frame),
    Ended,
    Ok,
    Error(String),
}

/// A response as the socket transport would send it (reason phrase filled).
#[derive(Serialize)]
struct Answer {
    status: u16,
    reason: Vec<u8>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

/// A frame the server sent.
#[derive(Serialize)]
struct Frame {
    kind: &'static str,
    data: Vec<u8>,
    code: Option<u16>,
}

/// The bridge's threads, as far as the runner's exit cares: how many
/// answers are on their way to the harness.
#[derive(Clone, Default)]
pub(crate) struct Bridge {
    busy: Arc<AtomicUsize>,
}

/// Counts one answer on its way until dropped.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(bridge: &Bridge) -> Busy {
        bridge.busy.fetch_add(1, Ordering::SeqCst);
        Busy(bridge.busy.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Bridge {
    /// Wait (up to `limit`) until no answer is on its way: the answers the
    /// computer gave as it stopped (503s, close frames) reach the harness
    /// before the process ends. Idle twice in a row, a little apart, so a
    /// frame pushed just now is picked up by its pump first.
    pub(crate) fn wait_idle(&self, limit: Duration) {
        let deadline = std::time::Instant::now() + limit;
        let mut idle_checks = 0;
        while idle_checks < 2 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            if self.busy.load(Ordering::SeqCst) == 0 {
                idle_checks += 1;
            } else {
                idle_checks = 0;
            }
        }
    }
}

/// Serve the control socket at `path` on a thread of its own.
pub(crate) fn spawn(path: &Path, transport: MemoryTransport) -> std::io::Result<Bridge> {
    let _ = std::fs::remove_file(path);
    let listener = UnixListener::bind(path)?;
    let bridge = Bridge::default();
    let accepting = bridge.clone();
    std::thread::Builder::new()
        .name("craftos-http-memory".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let (transport, bridge) = (transport.clone(), accepting.clone());
                let _ = std::thread::Builder::new()
                    .name("craftos-http-memory-client".into())
                    .spawn(move || serve(stream, transport, bridge));
            }
        })?;
    Ok(bridge)
}

/// One client: commands until the control connection ends.
fn serve(stream: UnixStream, transport: MemoryTransport, bridge: Bridge) {
    let Ok(out) = stream.try_clone() else {
        return;
    };
    let out = Arc::new(Mutex::new(out));
    let mut socket: Option<MemoryWebSocket> = None;
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { break };
        let was_socket = socket.is_some();
        let _busy = Busy::new(&bridge);
        let reply = match serde_json::from_str::<Command>(&line) {
            Ok(command) => execute(command, &transport, &mut socket),
            Err(e) => Reply::Error(format!("bad command: {e}")),
        };
        if !write(&out, &reply) {
            break;
        }
        if let (false, Some(ws)) = (was_socket, &socket) {
            let (frames, out, bridge) = (ws.frames(), out.clone(), bridge.clone());
            let _ = std::thread::Builder::new()
                .name("craftos-http-memory-frames".into())
                .spawn(move || pump(&frames, &out, &bridge));
        }
    }
    // A control connection that ends is a client that vanished.
    if let Some(mut ws) = socket {
        ws.disconnect();
    }
}

/// Send every frame the server sends, then `ended`.
fn pump(frames: &Frames, out: &Mutex<UnixStream>, bridge: &Bridge) {
    loop {
        let received = frames.recv(Duration::from_secs(3600));
        let _busy = Busy::new(bridge);
        let reply = match received {
            Received::Frame(f) => Reply::Frame(frame(f)),
            Received::Timeout => continue,
            Received::Ended => Reply::Ended,
        };
        let ended = matches!(reply, Reply::Ended);
        if !write(out, &reply) || ended {
            return;
        }
    }
}

/// Write one JSON line; false once the control connection is gone.
fn write(out: &Mutex<UnixStream>, reply: &Reply) -> bool {
    let mut text = serde_json::to_vec(reply).expect("replies serialise");
    text.push(b'\n');
    let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
    out.write_all(&text).is_ok()
}

fn execute(
    command: Command,
    transport: &MemoryTransport,
    socket: &mut Option<MemoryWebSocket>,
) -> Reply {
    match command {
        Command::Request(head) => match transport.request(head.port, request(head)) {
            Ok(pending) => Reply::Response(answer(pending.wait())),
            Err(_) => Reply::Refused,
        },
        Command::Probe { port } => match transport.is_listening(port) {
            true => Reply::Ok,
            false => Reply::Refused,
        },
        Command::Connect(head) => match transport.connect(head.port, request(head)) {
            Ok(Upgrade::Accepted(ws, headers)) => {
                *socket = Some(ws);
                Reply::Accepted {
                    headers: headers.into_iter().map(|(n, v)| (n, v.to_vec())).collect(),
                }
            }
            Ok(Upgrade::Response(pending)) => Reply::Response(answer(pending.wait())),
            Err(_) => Reply::Refused,
        },
        command => match socket {
            Some(ws) => websocket(command, ws),
            None => Reply::Error("not a websocket connection".into()),
        },
    }
}

fn websocket(command: Command, ws: &mut MemoryWebSocket) -> Reply {
    match command {
        Command::Send { data, binary } => match ws.send(&data, binary) {
            Ok(()) => Reply::Ok,
            Err(e) => Reply::Error(e.to_string()),
        },
        Command::Ping { data } => match ws.ping(&data) {
            Ok(()) => Reply::Ok,
            Err(e) => Reply::Error(e.to_string()),
        },
        Command::Close { code, reason } => {
            ws.close(code.map(|c| (c, Bytes::from(reason))));
            Reply::Ok
        }
        Command::Disconnect => {
            ws.disconnect();
            Reply::Ok
        }
        Command::Request(_) | Command::Connect(_) | Command::Probe { .. } => {
            Reply::Error("already a websocket".into())
        }
    }
}

fn request(head: Head) -> Request {
    let headers = head
        .headers
        .into_iter()
        .map(|(n, v)| (n, Bytes::from(v)))
        .collect();
    Request::new(head.method, head.target, headers, head.body)
}

fn answer(r: Response) -> Answer {
    let reason = match r.reason {
        Some(reason) => reason.to_vec(),
        None => status::reason_phrase(r.status)
            .unwrap_or("")
            .as_bytes()
            .to_vec(),
    };
    Answer {
        status: r.status,
        reason,
        headers: r
            .headers
            .into_iter()
            .map(|(n, v)| (n, v.to_vec()))
            .collect(),
        body: r.body.to_vec(),
    }
}

fn frame(out: Outgoing) -> Frame {
    let (kind, data, code) = match out {
        Outgoing::Text(b) => ("text", b.to_vec(), None),
        Outgoing::Binary(b) => ("binary", b.to_vec(), None),
        Outgoing::Pong(b) => ("pong", b.to_vec(), None),
        Outgoing::Close { code, reason } => ("close", reason.to_vec(), Some(code)),
        Outgoing::CloseEcho(payload) => {
            let code = (payload.len() >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
            let reason = payload.get(2..).unwrap_or_default().to_vec();
            ("close", reason, code)
        }
    };
    Frame { kind, data, code }
}
