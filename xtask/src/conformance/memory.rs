//! `--transport memory`: the cases' clients reach a runner that serves over
//! the core's in-memory transport (`craftos-http --memory-socket PATH`).
//!
//! The cases speak HTTP/1.1 and WebSocket bytes; the in-memory transport
//! takes requests and whole messages. In between sits this gateway, in the
//! harness: each "connection" is an in-process pipe whose far end is served
//! by a hyper HTTP/1.1 server (and, after an upgrade, a fastwebsockets
//! endpoint) that forwards every request, handshake and message over the
//! runner's control socket (JSON lines, see the runner's `bridge.rs`) and
//! writes back what the runner answers. The wire format is the harness's
//! concern; everything a script can observe comes from the memory
//! transport. Cases about TCP and HTTP framing themselves are marked
//! `transports = ["tcp"]` and skipped.
//!
//! Which ports go through the gateway is kept in a process-wide table (a
//! case registers its port with its runner's socket), so the steps' code
//! opens connections the same way for both transports.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use fastwebsockets::{Frame, OpCode, Payload, WebSocket, WebSocketError};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::net::UnixStream;
use tokio::net::unix::OwnedWriteHalf;

/// Bytes buffered in each direction of a gateway pipe.
const PIPE: usize = 256 * 1024;
/// How long a client may take to answer the runner's close frame (as the
/// socket transport waits).
const CLOSE_REPLY_WAIT: Duration = Duration::from_secs(1);

fn routes() -> &'static Mutex<HashMap<u16, PathBuf>> {
    static ROUTES: OnceLock<Mutex<HashMap<u16, PathBuf>>> = OnceLock::new();
    ROUTES.get_or_init(Mutex::default)
}

/// Send connections to `port` through the runner's control socket `path`
/// until the returned guard is dropped.
pub(crate) fn register(port: u16, path: &Path) -> Route {
    lock().insert(port, path.to_owned());
    Route(port)
}

fn lock() -> std::sync::MutexGuard<'static, HashMap<u16, PathBuf>> {
    routes().lock().unwrap_or_else(|e| e.into_inner())
}

/// A port's registration; removed when dropped.
pub(crate) struct Route(u16);

impl Drop for Route {
    fn drop(&mut self) {
        lock().remove(&self.0);
    }
}

/// The control socket serving `port`, if the port goes through the gateway.
pub(crate) fn route(port: u16) -> Option<PathBuf> {
    lock().get(&port).cloned()
}

/// A request as the runner's bridge takes it.
#[derive(Serialize)]
struct Head {
    port: u16,
    method: String,
    target: Vec<u8>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

/// A response as the bridge gives it.
#[derive(Deserialize)]
struct Answer {
    status: u16,
    reason: Vec<u8>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

/// A frame the runner's websocket server sent.
#[derive(Deserialize)]
struct SentFrame {
    kind: String,
    data: Vec<u8>,
    code: Option<u16>,
}

/// One control connection to the runner.
struct Control {
    lines: tokio::io::Lines<BufReader<tokio::net::unix::OwnedReadHalf>>,
    out: OwnedWriteHalf,
}

impl Control {
    async fn open(path: &Path) -> io::Result<Control> {
        let (read, out) = UnixStream::connect(path).await?.into_split();
        Ok(Control {
            lines: BufReader::new(read).lines(),
            out,
        })
    }

    async fn send(&mut self, command: &Value) -> io::Result<()> {
        let mut line = serde_json::to_vec(command)?;
        line.push(b'\n');
        self.out.write_all(&line).await
    }

    async fn line(&mut self) -> io::Result<Value> {
        match self.lines.next_line().await? {
            Some(line) => Ok(serde_json::from_str(&line)?),
            None => Err(io::ErrorKind::UnexpectedEof.into()),
        }
    }

    async fn call(&mut self, command: &Value) -> io::Result<Value> {
        self.send(command).await?;
        self.line().await
    }
}

/// Whether the runner behind `path` serves `port` (a TCP connect's answer).
pub(crate) async fn probe(path: &Path, port: u16) -> io::Result<bool> {
    let mut control = Control::open(path).await?;
    let reply = control
        .call(&serde_json::json!({ "probe": { "port": port } }))
        .await?;
    Ok(reply == Value::String("ok".into()))
}

/// Open a connection to `port` through the runner behind `path`: the
/// harness's end of a pipe whose other end the gateway serves. Refused as
/// TCP would be when nothing serves the port.
pub(crate) async fn connect(path: &Path, port: u16) -> io::Result<DuplexStream> {
    if !probe(path, port).await? {
        return Err(io::ErrorKind::ConnectionRefused.into());
    }
    let (client, server) = tokio::io::duplex(PIPE);
    let path = path.to_owned();
    tokio::spawn(async move {
        // A request the runner refuses (the port is no longer served, or
        // the runner is gone) closes the connection without a response,
        // as TCP would.
        let service = service_fn(move |req| {
            let path = path.clone();
            async move { forward(req, &path, port).await.ok_or(Refused) }
        });
        let _ = hyper::server::conn::http1::Builder::new()
            .title_case_headers(true)
            .half_close(true)
            .serve_connection(TokioIo::new(server), service)
            .with_upgrades()
            .await;
    });
    Ok(client)
}

type Response = hyper::Response<Full<Bytes>>;

/// The runner refused a request: the gateway drops the connection.
#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused")
    }
}

impl std::error::Error for Refused {}

/// One request: a handshake goes to `connect`, the rest to `request`;
/// `None` when the runner refuses it.
async fn forward(mut req: hyper::Request<Incoming>, path: &Path, port: u16) -> Option<Response> {
    let upgrade = fastwebsockets::upgrade::is_upgrade_request(&req);
    let head = Head {
        port,
        method: req.method().as_str().to_owned(),
        // As sent: origin form, absolute form or `*`.
        target: req.uri().to_string().into_bytes(),
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| (title_case(n.as_str()), v.as_bytes().to_vec()))
            .collect(),
        body: Vec::new(),
    };
    if upgrade {
        return handshake(&mut req, head, path).await;
    }
    let head = match req.into_body().collect().await {
        Ok(body) => Head {
            body: body.to_bytes().to_vec(),
            ..head
        },
        Err(_) => return Some(status(400)),
    };
    exchange(path, &serde_json::json!({ "request": head }))
        .await
        .and_then(answer)
}

/// One command on a control connection of its own. `None` when the runner
/// is gone (the connection is then closed, as TCP would); a control socket
/// that cannot be reached for a moment is retried briefly.
async fn exchange(path: &Path, command: &Value) -> Option<Value> {
    let mut control = open_retrying(path).await?;
    control.call(command).await.ok()
}

async fn open_retrying(path: &Path) -> Option<Control> {
    for attempt in 0..10 {
        match Control::open(path).await {
            Ok(control) => return Some(control),
            Err(err) if attempt == 9 => {
                eprintln!("memory gateway: cannot reach {}: {err}", path.display());
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    None
}

/// A websocket handshake: `101` and a relay if the runner accepts it.
async fn handshake(
    req: &mut hyper::Request<Incoming>,
    head: Head,
    path: &Path,
) -> Option<Response> {
    let mut control = open_retrying(path).await?;
    let reply = control
        .call(&serde_json::json!({ "connect": head }))
        .await
        .ok()?;
    let Some(accepted) = reply.get("accepted") else {
        return answer(reply);
    };
    let (response, upgraded) = match fastwebsockets::upgrade::upgrade(req) {
        Ok(ok) => ok,
        Err(_) => return Some(status(400)),
    };
    let (mut parts, _) = response.into_parts();
    let extra: Vec<(String, Vec<u8>)> =
        serde_json::from_value(accepted["headers"].clone()).unwrap_or_default();
    for (name, value) in extra {
        if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_bytes(&value),
        ) {
            parts.headers.append(n, v);
        }
    }
    tokio::spawn(async move {
        if let Ok(ws) = upgraded.await {
            relay(ws, control).await;
        }
    });
    Some(hyper::Response::from_parts(parts, Full::new(Bytes::new())))
}

/// Carry one websocket between the case's client and the runner: whole
/// messages, pings and close frames one way, the server's frames the other.
async fn relay(ws: WebSocket<TokioIo<hyper::upgrade::Upgraded>>, control: Control) {
    let (mut rx, mut tx) = ws.split(tokio::io::split);
    rx.set_auto_close(false);
    rx.set_auto_pong(false);
    rx.set_max_message_size(256 * 1024 * 1024);
    let Control { mut lines, mut out } = control;
    // Set once the runner's close frame went out: as the socket transport
    // does, the connection ends if the client has not replied in 1 s.
    let (server_closed, mut closing) = tokio::sync::watch::channel(false);
    // The runner's frames, as it sends them.
    let writer = tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            let Ok(value) = serde_json::from_str::<Value>(&line) else {
                break;
            };
            if value == Value::String("ended".into()) {
                break;
            }
            let Some(frame) = value.get("frame") else {
                continue; // "ok": a command's acknowledgement
            };
            let Ok(frame) = serde_json::from_value::<SentFrame>(frame.clone()) else {
                break;
            };
            let payload = Payload::Owned(frame.data);
            let out = match (frame.kind.as_str(), frame.code) {
                ("text", _) => Frame::text(payload),
                ("binary", _) => Frame::binary(payload),
                ("pong", _) => Frame::pong(payload),
                ("close", Some(code)) => Frame::close(code, &payload),
                _ => Frame::close_raw(Payload::Owned(Vec::new())),
            };
            let close = out.opcode == OpCode::Close;
            if tx.write_frame(out).await.is_err() {
                break;
            }
            if close {
                let _ = server_closed.send(true);
            }
        }
        let _ = tx.flush().await;
        // Dropping the write half lets the peer see the end.
    });
    // The client's frames, reassembled into messages.
    let mut message: Option<(bool, Vec<u8>)> = None;
    loop {
        let mut obligated = |_| async { Ok::<_, Infallible>(()) };
        let read = rx.read_frame(&mut obligated);
        let reply_wait = async {
            let _ = closing.wait_for(|closed| *closed).await;
            tokio::time::sleep(CLOSE_REPLY_WAIT).await;
        };
        let frame = tokio::select! {
            frame = read => frame,
            () = reply_wait => Err(WebSocketError::ConnectionClosed),
        };
        let frame = match frame {
            Ok(frame) => frame,
            // fastwebsockets checks text itself; the runner must see the
            // invalid message to close with 1007 (W9).
            Err(WebSocketError::InvalidUTF8) => {
                let invalid = serde_json::json!({ "send": { "data": [0xff], "binary": false } });
                let _ = send(&mut out, invalid).await;
                break;
            }
            Err(_) => {
                let _ = send(&mut out, serde_json::json!("disconnect")).await;
                break;
            }
        };
        let command = match frame.opcode {
            OpCode::Text | OpCode::Binary => {
                message = Some((frame.opcode == OpCode::Binary, frame.payload.to_vec()));
                None
            }
            OpCode::Continuation => {
                if let Some((_, data)) = &mut message {
                    data.extend_from_slice(&frame.payload);
                }
                None
            }
            OpCode::Ping => Some(serde_json::json!({ "ping": { "data": frame.payload.to_vec() } })),
            OpCode::Pong => continue,
            OpCode::Close => {
                let payload = frame.payload.to_vec();
                let code =
                    (payload.len() >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
                let reason = payload.get(2..).unwrap_or_default().to_vec();
                let _ = send(
                    &mut out,
                    serde_json::json!({ "close": { "code": code, "reason": reason } }),
                )
                .await;
                break;
            }
        };
        let command = match command {
            Some(command) => command,
            None if frame.fin => match message.take() {
                Some((binary, data)) => {
                    serde_json::json!({ "send": { "data": data, "binary": binary } })
                }
                None => continue,
            },
            None => continue,
        };
        if send(&mut out, command).await.is_err() {
            break;
        }
    }
    // The runner's last frames (a close reply) still go out.
    let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
}

async fn send(out: &mut OwnedWriteHalf, command: Value) -> io::Result<()> {
    let mut line = serde_json::to_vec(&command)?;
    line.push(b'\n');
    out.write_all(&line).await
}

/// The bridge's reply to a request as an HTTP response; `None` if refused.
/// Anything else the bridge says is a 502 whose body says what it was.
fn answer(reply: Value) -> Option<Response> {
    if reply == Value::String("refused".into()) {
        return None;
    }
    let Some(answer) = reply
        .get("response")
        .and_then(|r| serde_json::from_value::<Answer>(r.clone()).ok())
    else {
        let mut response = status(502);
        *response.body_mut() = Full::new(Bytes::from(format!("memory gateway: {reply}")));
        return Some(response);
    };
    let mut response = hyper::Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
    if let Ok(reason) = hyper::ext::ReasonPhrase::try_from(answer.reason) {
        response.extensions_mut().insert(reason);
    }
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_bytes(&value),
        ) {
            headers.append(n, v);
        }
    }
    Some(response)
}

fn status(code: u16) -> Response {
    let mut response = hyper::Response::new(Full::new(Bytes::new()));
    *response.status_mut() = hyper::StatusCode::from_u16(code).expect("a valid status");
    response
}

/// `content-type` -> `Content-Type`, as the socket transport presents names.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}
