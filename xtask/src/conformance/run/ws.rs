//! Running the WebSocket blocks of a case.
//!
//! `[[ws]]` blocks drive one connection each with the harness's own strict
//! client: the handshake is sent as exact bytes and its response read with
//! the raw HTTP client; frames are encoded and decoded with tungstenite's
//! frame codec (an implementation independent of the server's), and
//! everything the server sends is checked against RFC 6455 (unmasked, no
//! RSV bits, known opcodes, short unfragmented control frames, UTF-8 text,
//! valid close payloads). Nothing is answered automatically: the case says
//! what to send, including the reply to a close frame.
//!
//! `[[ws_concurrent]]` blocks use tokio-tungstenite, a complete client.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::Barrier;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep, timeout, timeout_at};
use tokio_tungstenite::tungstenite::Message;
use tungstenite::protocol::frame::coding::{Control, Data, OpCode};
use tungstenite::protocol::frame::{Frame, FrameHeader};

use crate::conformance::case::ws::{
    CloseExpect, DEFAULT_WAIT, Expected, Handshake, OutFrame, WsAction, substitute_ij,
};
use crate::conformance::case::{WsBlock, WsConcurrent};
use crate::conformance::check;
use crate::conformance::client::Connection;
use crate::conformance::escape::show;
use crate::conformance::stream::Stream;

/// The `Sec-WebSocket-Key` sent unless a case sets its own (RFC 6455's
/// example nonce).
const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
/// Largest frame payload accepted from the server.
const MAX_FRAME: u64 = 256 * 1024 * 1024;

/// Runs the `[[ws]]` blocks in order; named connections that stay open
/// are kept for later blocks and dropped at the end.
pub(crate) async fn run_blocks(
    blocks: &[WsBlock],
    port: u16,
    on_block: &mut impl FnMut(usize),
) -> Result<(), String> {
    let mut named: HashMap<String, WsConn> = HashMap::new();
    for (index, block) in blocks.iter().enumerate() {
        on_block(index + 1);
        run_block(block, port, &mut named)
            .await
            .map_err(|err| format!("ws block {}: {err}", index + 1))?;
    }
    Ok(())
}

/// Runs one `[[ws]]` block.
async fn run_block(
    block: &WsBlock,
    port: u16,
    named: &mut HashMap<String, WsConn>,
) -> Result<(), String> {
    let mut conn = match &block.open {
        Some(handshake) => match open(handshake, port).await? {
            Some(conn) => conn,
            None => return Ok(()),
        },
        None => {
            let id = block.id.as_deref().unwrap_or_default();
            named
                .remove(id)
                .ok_or_else(|| format!("no open connection {id:?} to continue"))?
        }
    };
    for (index, action) in block.actions.iter().enumerate() {
        conn.act(action)
            .await
            .map_err(|err| format!("action {} ({}): {err}", index + 1, describe(action)))?;
    }
    if let Some(err) = conn.send_error.take() {
        return Err(format!(
            "a send failed and no later expectation was met: {err}"
        ));
    }
    if block.stays_open
        && let Some(id) = &block.id
    {
        named.insert(id.clone(), conn);
    }
    Ok(())
}

/// The handshake request of `open` as bytes, and the key it carries.
fn request(open: &Handshake, port: u16) -> (Vec<u8>, Vec<u8>) {
    let mut headers: Vec<(String, Vec<u8>)> = [
        ("Host", format!("127.0.0.1:{port}")),
        ("Upgrade", "websocket".to_owned()),
        ("Connection", "Upgrade".to_owned()),
        ("Sec-WebSocket-Key", KEY.to_owned()),
        ("Sec-WebSocket-Version", "13".to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.into_bytes()))
    .collect();
    for (name, value) in &open.headers {
        match headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(slot) => slot.1.clone_from(value),
            None => headers.push((name.clone(), value.clone())),
        }
    }
    let key = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Sec-WebSocket-Key"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut bytes = b"GET ".to_vec();
    bytes.extend_from_slice(&open.path);
    bytes.extend_from_slice(b" HTTP/1.1\r\n");
    for (name, value) in headers {
        bytes.extend_from_slice(name.as_bytes());
        bytes.extend_from_slice(b": ");
        bytes.extend_from_slice(&value);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    (bytes, key)
}

/// Connects and makes the handshake; returns the connection if it was
/// upgraded as expected (`None` when the case expects a refusal and got it).
async fn open(open: &Handshake, port: u16) -> Result<Option<WsConn>, String> {
    sleep(open.delay).await;
    let mut conn = match Connection::open(port).await {
        Ok(conn) => conn,
        Err(err) if open.refused && refused(&err) => return Ok(None),
        Err(err) => return Err(format!("{err:#}")),
    };
    let (request, key) = request(open, port);
    if open.refused {
        let _ = conn.send(&request).await;
        let received = conn.read_close().await.map_err(|err| format!("{err:#}"))?;
        if !received.is_empty() {
            return Err(format!(
                "expected the connection refused or closed without a response, received {}",
                show(&received)
            ));
        }
        return Ok(None);
    }
    let send_error = conn.send(&request).await.err();
    let response = conn
        .read_response(false)
        .await
        .map_err(|err| match &send_error {
            Some(send) => format!("handshake: {send:#}; then {err:#}"),
            None => format!("handshake: {err:#}"),
        })?;
    check::response(&response, &open.expect).map_err(|err| format!("handshake: {err}"))?;
    if !open.upgrades() {
        return Ok(None);
    }
    let accept = tungstenite::handshake::derive_accept_key(&key);
    let checks = [
        ("Sec-WebSocket-Accept", accept.as_str()),
        ("Upgrade", "websocket"),
    ];
    for (name, expected) in checks {
        let got = response.header(name).unwrap_or_default();
        if !got.eq_ignore_ascii_case(expected.as_bytes()) {
            return Err(format!(
                "handshake: header {name}: expected {}, received {}",
                show(expected.as_bytes()),
                show(&got)
            ));
        }
    }
    let connection = response.header("Connection").unwrap_or_default();
    if !String::from_utf8_lossy(&connection)
        .split(',')
        .any(|token| token.trim().eq_ignore_ascii_case("upgrade"))
    {
        return Err(format!(
            "handshake: header Connection: expected 'Upgrade', received {}",
            show(&connection)
        ));
    }
    let (stream, buf) = conn.into_parts();
    Ok(Some(WsConn::new(stream, buf)))
}

/// Whether a connection error is a refusal.
fn refused(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
    })
}

/// A short name of an action for failure messages.
fn describe(action: &WsAction) -> String {
    match action {
        WsAction::Send(frame) => {
            let verb = match (frame.opcode, frame.fin, frame.rsv, frame.masked) {
                (1, true, 0, true) => "send_text".to_owned(),
                (2, true, 0, true) => "send_binary".to_owned(),
                (8, true, 0, true) => "close".to_owned(),
                (9, true, 0, true) => "ping".to_owned(),
                (10, true, 0, true) => "pong".to_owned(),
                (opcode, ..) => format!("send_frame opcode {opcode}"),
            };
            format!("{verb} {}", show_short(&frame.payload))
        }
        WsAction::Raw(bytes) => format!("send_raw {}", show_short(bytes)),
        WsAction::Drop => "drop".to_owned(),
        WsAction::Sleep(d) => format!("sleep_ms {}", d.as_millis()),
        WsAction::Expect { what, .. } => match what {
            Expected::Text(data) => format!("expect_text {}", show_short(data)),
            Expected::Binary(data) => format!("expect_binary {}", show_short(data)),
            Expected::Pong(data) => format!("expect_pong {}", show_short(data)),
            Expected::Close(CloseExpect::Code(code, _)) => format!("expect_close {code}"),
            Expected::Close(CloseExpect::NoCode) => "expect_close 'no code'".to_owned(),
            Expected::Close(CloseExpect::Any) => "expect_close 'any'".to_owned(),
            Expected::Eof => "expect_eof".to_owned(),
        },
        WsAction::Silence(d) => format!("expect_silence_ms {}", d.as_millis()),
    }
}

/// Bytes shown briefly (a long payload in an action name).
fn show_short(bytes: &[u8]) -> String {
    crate::conformance::escape::show_limited(bytes, 24)
}

/// Something received from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Received {
    /// A complete data message and the number of frames it came in.
    Message {
        /// Binary (else text).
        binary: bool,
        /// The payload.
        data: Vec<u8>,
        /// Frames it came in.
        frames: usize,
    },
    /// A ping frame.
    Ping(Vec<u8>),
    /// A pong frame.
    Pong(Vec<u8>),
    /// A close frame's payload (already checked to be valid).
    Close(Vec<u8>),
    /// The end of the TCP stream (or a reset).
    Eof,
}

impl std::fmt::Display for Received {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Message {
                binary,
                data,
                frames,
            } => {
                let kind = if *binary { "binary" } else { "text" };
                write!(f, "{kind} message {}", show(data))?;
                if *frames != 1 {
                    write!(f, " in {frames} frames")?;
                }
                Ok(())
            }
            Self::Ping(data) => write!(f, "ping {}", show(data)),
            Self::Pong(data) => write!(f, "pong {}", show(data)),
            Self::Close(payload) => match close_parts(payload) {
                Some((code, reason)) => write!(f, "close {code} {}", show(reason)),
                None => write!(f, "close with no code"),
            },
            Self::Eof => write!(f, "the end of the connection"),
        }
    }
}

/// The code and reason of a close payload, if it has a code.
fn close_parts(payload: &[u8]) -> Option<(u16, &[u8])> {
    match payload {
        [a, b, reason @ ..] => Some((u16::from_be_bytes([*a, *b]), reason)),
        _ => None,
    }
}

/// Whether a close code may appear on the wire (RFC 6455 7.4).
fn valid_close_code(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// A message being reassembled.
#[derive(Debug)]
struct Partial {
    binary: bool,
    data: Vec<u8>,
    frames: usize,
}

/// An upgraded connection driven by a `[[ws]]` block.
#[derive(Debug)]
struct WsConn {
    stream: Stream,
    /// Received bytes not yet decoded.
    buf: Vec<u8>,
    /// The server ended the stream.
    eof: bool,
    /// A fragmented message being received.
    partial: Option<Partial>,
    /// Frames sent, to vary the mask.
    sent: u32,
    /// A send that failed (the server may have closed first); reported
    /// unless a later expectation is met.
    send_error: Option<String>,
}

impl WsConn {
    fn new(stream: Stream, buf: Vec<u8>) -> Self {
        Self {
            stream,
            buf,
            eof: false,
            partial: None,
            sent: 0,
            send_error: None,
        }
    }

    /// Runs one action.
    async fn act(&mut self, action: &WsAction) -> Result<(), String> {
        match action {
            WsAction::Send(frame) => {
                self.sent = self.sent.wrapping_add(1);
                let bytes = encode(frame, mask_key(self.sent))?;
                self.write(&bytes).await;
            }
            WsAction::Raw(bytes) => self.write(bytes).await,
            WsAction::Drop => {
                let _ = self.stream.shutdown().await;
                self.eof = true;
            }
            WsAction::Sleep(duration) => sleep(*duration).await,
            WsAction::Expect { what, max } => {
                let started = Instant::now();
                match self.next(started + *max).await? {
                    None => {
                        return Err(self.with_send_error(format!(
                            "nothing received within {} ms",
                            max.as_millis()
                        )));
                    }
                    Some(got) => {
                        check_received(what, &got).map_err(|err| self.with_send_error(err))?;
                    }
                }
                self.send_error = None;
            }
            WsAction::Silence(duration) => {
                let started = Instant::now();
                if let Some(got) = self.next(started + *duration).await? {
                    return Err(format!(
                        "expected nothing for {} ms, received {got} after {} ms",
                        duration.as_millis(),
                        started.elapsed().as_millis()
                    ));
                }
            }
        }
        Ok(())
    }

    /// A failure message with the earlier failed send, if any.
    fn with_send_error(&self, err: String) -> String {
        match &self.send_error {
            Some(send) => format!("{err} (an earlier send failed: {send})"),
            None => err,
        }
    }

    /// Writes bytes; a failure is remembered (the server may have closed).
    async fn write(&mut self, bytes: &[u8]) {
        let result = async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        }
        .await;
        if let Err(err) = result
            && self.send_error.is_none()
        {
            self.send_error = Some(err.to_string());
        }
    }

    /// The next thing received, or `None` if `deadline` passes first.
    async fn next(&mut self, deadline: Instant) -> Result<Option<Received>, String> {
        loop {
            if let Some(received) = self.decode()? {
                return Ok(Some(received));
            }
            if self.eof {
                if !self.buf.is_empty() {
                    return Err(format!(
                        "the connection ended in the middle of a frame: {}",
                        show(&self.buf)
                    ));
                }
                return Ok(Some(Received::Eof));
            }
            let mut chunk = vec![0; 64 * 1024];
            match timeout_at(deadline, self.stream.read(&mut chunk)).await {
                Err(_elapsed) => return Ok(None),
                Ok(Ok(0)) => self.eof = true,
                Ok(Ok(n)) => self.buf.extend_from_slice(&chunk[..n]),
                Ok(Err(err))
                    if matches!(
                        err.kind(),
                        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
                    ) =>
                {
                    self.eof = true;
                }
                Ok(Err(err)) => return Err(format!("read: {err}")),
            }
        }
    }

    /// Decodes the frames in the buffer until something complete is
    /// received (`None`: more bytes are needed). Anything a server must not
    /// send is an error.
    fn decode(&mut self) -> Result<Option<Received>, String> {
        loop {
            let mut cursor = Cursor::new(self.buf.as_slice());
            let Some((header, len)) = FrameHeader::parse(&mut cursor)
                .map_err(|err| format!("the server sent an invalid frame header: {err}"))?
            else {
                return Ok(None);
            };
            if len > MAX_FRAME {
                return Err(format!("the server sent a frame of {len} bytes"));
            }
            let start = usize::try_from(cursor.position()).expect("a header is short");
            let end = start + usize::try_from(len).expect("bounded above");
            if self.buf.len() < end {
                return Ok(None);
            }
            let payload = self.buf[start..end].to_vec();
            self.buf.drain(..end);
            if let Some(received) = self.frame(&header, payload)? {
                return Ok(Some(received));
            }
        }
    }

    /// Checks one frame from the server; returns what it completes.
    fn frame(
        &mut self,
        header: &FrameHeader,
        payload: Vec<u8>,
    ) -> Result<Option<Received>, String> {
        let opcode = u8::from(header.opcode);
        if header.mask.is_some() {
            return Err(format!("the server sent a masked frame (opcode {opcode})"));
        }
        if header.rsv1 || header.rsv2 || header.rsv3 {
            return Err(format!(
                "the server sent a frame with RSV bits set (opcode {opcode}): no extension was negotiated"
            ));
        }
        match header.opcode {
            OpCode::Control(control) => {
                if !header.is_final || payload.len() > 125 {
                    return Err(format!(
                        "the server sent a fragmented or long control frame (opcode {opcode}, {} bytes)",
                        payload.len()
                    ));
                }
                match control {
                    Control::Close => {
                        check_close_payload(&payload)?;
                        Ok(Some(Received::Close(payload)))
                    }
                    Control::Ping => Ok(Some(Received::Ping(payload))),
                    Control::Pong => Ok(Some(Received::Pong(payload))),
                    Control::Reserved(n) => Err(format!("the server sent reserved opcode {n}")),
                }
            }
            OpCode::Data(data) => {
                match (data, &mut self.partial) {
                    (Data::Continue, None) => {
                        return Err(
                            "the server sent a continuation frame with no message to continue"
                                .to_owned(),
                        );
                    }
                    (Data::Continue, Some(partial)) => {
                        partial.data.extend_from_slice(&payload);
                        partial.frames += 1;
                    }
                    (Data::Text | Data::Binary, Some(_)) => {
                        return Err(
                            "the server began a message before finishing the previous one"
                                .to_owned(),
                        );
                    }
                    (Data::Text | Data::Binary, None) => {
                        self.partial = Some(Partial {
                            binary: data == Data::Binary,
                            data: payload,
                            frames: 1,
                        });
                    }
                    (Data::Reserved(n), _) => {
                        return Err(format!("the server sent reserved opcode {n}"));
                    }
                }
                if !header.is_final {
                    return Ok(None);
                }
                let Partial {
                    binary,
                    data,
                    frames,
                } = self.partial.take().expect("a message is being received");
                if !binary && std::str::from_utf8(&data).is_err() {
                    return Err(format!(
                        "the server sent a text message that is not UTF-8: {}",
                        show(&data)
                    ));
                }
                Ok(Some(Received::Message {
                    binary,
                    data,
                    frames,
                }))
            }
        }
    }
}

/// Checks a close frame's payload (RFC 6455 5.5.1, 7.4).
fn check_close_payload(payload: &[u8]) -> Result<(), String> {
    if payload.len() == 1 {
        return Err(format!(
            "the server sent a close frame with a 1-byte payload {}",
            show(payload)
        ));
    }
    if let Some((code, reason)) = close_parts(payload) {
        if !valid_close_code(code) {
            return Err(format!(
                "the server sent close code {code}, which may not appear on the wire"
            ));
        }
        if std::str::from_utf8(reason).is_err() {
            return Err(format!(
                "the server sent a close reason that is not UTF-8: {}",
                show(reason)
            ));
        }
    }
    Ok(())
}

/// Checks what was received against an expectation.
fn check_received(expected: &Expected, got: &Received) -> Result<(), String> {
    match (expected, got) {
        (
            Expected::Text(want),
            Received::Message {
                binary: false,
                data,
                frames,
            },
        )
        | (
            Expected::Binary(want),
            Received::Message {
                binary: true,
                data,
                frames,
            },
        ) => {
            check::bytes("message", want, data)?;
            if *frames != 1 {
                return Err(format!("the message came in {frames} frames, expected one"));
            }
            Ok(())
        }
        (Expected::Pong(want), Received::Pong(data)) => check::bytes("pong", want, data),
        (Expected::Close(want), Received::Close(payload)) => {
            let parts = close_parts(payload);
            let ok = match (want, parts) {
                (CloseExpect::Any, _) => true,
                (CloseExpect::NoCode, None) => true,
                (CloseExpect::Code(code, reason), Some((got_code, got_reason))) => {
                    *code == got_code && reason.as_deref().is_none_or(|r| r == got_reason)
                }
                _ => false,
            };
            if ok {
                Ok(())
            } else {
                let want = match want {
                    CloseExpect::Code(code, Some(reason)) => {
                        format!("close {code} {}", show(reason))
                    }
                    CloseExpect::Code(code, None) => format!("close {code}"),
                    CloseExpect::NoCode => "close with no code".to_owned(),
                    CloseExpect::Any => unreachable!("any close matches"),
                };
                Err(format!("expected {want}, received {got}"))
            }
        }
        (Expected::Eof, Received::Eof) => Ok(()),
        (expected, got) => {
            let want = match expected {
                Expected::Text(data) => format!("text message {}", show(data)),
                Expected::Binary(data) => format!("binary message {}", show(data)),
                Expected::Pong(data) => format!("pong {}", show(data)),
                Expected::Close(_) => "a close frame".to_owned(),
                Expected::Eof => "the end of the connection".to_owned(),
            };
            Err(format!("expected {want}, received {got}"))
        }
    }
}

/// The mask key of the n-th frame sent (varied, never zero).
fn mask_key(n: u32) -> [u8; 4] {
    (n.wrapping_mul(0x9E37_79B9) | 0x0101_0101).to_be_bytes()
}

/// Encodes a frame with tungstenite's codec.
fn encode(frame: &OutFrame, key: [u8; 4]) -> Result<Vec<u8>, String> {
    let header = FrameHeader {
        is_final: frame.fin,
        rsv1: frame.rsv & 4 != 0,
        rsv2: frame.rsv & 2 != 0,
        rsv3: frame.rsv & 1 != 0,
        opcode: OpCode::from(frame.opcode),
        mask: frame.masked.then_some(key),
    };
    let mut out = Vec::with_capacity(frame.payload.len() + 14);
    Frame::from_payload(header, frame.payload.clone().into())
        .format(&mut out)
        .map_err(|err| format!("cannot encode the frame: {err}"))?;
    Ok(out)
}

/// Runs a `[[ws_concurrent]]` block: every client connects, then all send
/// their messages at once and check the echoes, then close.
pub(crate) async fn run_concurrent(block: &WsConcurrent, port: u16) -> Result<(), String> {
    let block = Arc::new(block.clone());
    let barrier = Arc::new(Barrier::new(block.clients));
    let mut tasks = JoinSet::new();
    for i in 0..block.clients {
        let block = Arc::clone(&block);
        let barrier = Arc::clone(&barrier);
        tasks.spawn(async move {
            let connected = connect(&block, i, port).await;
            barrier.wait().await;
            let result = match connected {
                Ok(ws) => echo(ws, &block, i).await,
                Err(err) => Err(err),
            };
            (i, result)
        });
    }
    let mut failures = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((_, Ok(()))) => {}
            Ok((i, Err(err))) => failures.push((i, err)),
            Err(err) => failures.push((usize::MAX, format!("client task failed: {err}"))),
        }
    }
    failures.sort_by_key(|(i, _)| *i);
    match failures.first() {
        None => Ok(()),
        Some((i, err)) => Err(format!(
            "{} of {} clients failed; first (i = {i}): {err}",
            failures.len(),
            block.clients
        )),
    }
}

/// A tokio-tungstenite client.
type Client = tokio_tungstenite::WebSocketStream<Stream>;

/// Connects client `i` and makes its handshake.
async fn connect(block: &WsConcurrent, i: usize, port: u16) -> Result<Client, String> {
    let stream = crate::conformance::stream::connect(port)
        .await
        .map_err(|err| format!("connect to 127.0.0.1:{port}: {err}"))?;
    let path = String::from_utf8_lossy(&substitute_ij(&block.path, i, 0)).into_owned();
    let url = format!("ws://127.0.0.1:{port}{path}");
    let handshake = tokio_tungstenite::client_async(url, stream);
    match timeout(DEFAULT_WAIT, handshake).await {
        Err(_) => Err(format!(
            "no handshake response within {} s",
            DEFAULT_WAIT.as_secs()
        )),
        Ok(Err(err)) => Err(format!("handshake: {err}")),
        Ok(Ok((ws, _response))) => Ok(ws),
    }
}

/// Client `i` sends its messages, checks every echo in order, then closes
/// and expects the server's close reply and the end of the connection.
async fn echo(mut ws: Client, block: &WsConcurrent, i: usize) -> Result<(), String> {
    let message = |bytes: Vec<u8>| {
        if block.binary {
            Ok(Message::binary(bytes))
        } else {
            String::from_utf8(bytes)
                .map(Message::text)
                .map_err(|_| "a message is not UTF-8".to_owned())
        }
    };
    for j in 0..block.messages {
        ws.feed(message(substitute_ij(&block.send, i, j))?)
            .await
            .map_err(|err| format!("send message {j}: {err}"))?;
    }
    ws.flush().await.map_err(|err| format!("send: {err}"))?;
    for j in 0..block.messages {
        let expected = substitute_ij(&block.expect, i, j);
        let got = match timeout(DEFAULT_WAIT, ws.next()).await {
            Err(_) => {
                return Err(format!(
                    "echo {j}: nothing received within {} s",
                    DEFAULT_WAIT.as_secs()
                ));
            }
            Ok(None) => return Err(format!("the connection ended before echo {j}")),
            Ok(Some(Err(err))) => return Err(format!("echo {j}: {err}")),
            Ok(Some(Ok(got))) => got,
        };
        let data: &[u8] = match (&got, block.binary) {
            (Message::Text(text), false) => text.as_bytes(),
            (Message::Binary(data), true) => data,
            _ => {
                return Err(format!(
                    "echo {j}: expected a {} message {}, received {got:?}",
                    if block.binary { "binary" } else { "text" },
                    show(&expected)
                ));
            }
        };
        check::bytes(&format!("echo {j}"), &expected, data)?;
    }
    ws.send(Message::Close(Some(tungstenite::protocol::CloseFrame {
        code: tungstenite::protocol::frame::coding::CloseCode::Normal,
        reason: "".into(),
    })))
    .await
    .map_err(|err| format!("close: {err}"))?;
    let mut replied = false;
    loop {
        match timeout(DEFAULT_WAIT, ws.next()).await {
            Err(_) => {
                return Err(format!(
                    "no close reply and end of connection within {} s",
                    DEFAULT_WAIT.as_secs()
                ));
            }
            Ok(None) => break,
            Ok(Some(Ok(Message::Close(_)))) => replied = true,
            Ok(Some(Ok(other))) => {
                return Err(format!("after the echoes, received {other:?}"));
            }
            Ok(Some(Err(err))) => return Err(format!("after the close: {err}")),
        }
    }
    if replied {
        Ok(())
    } else {
        Err("the connection ended without a close reply".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::conformance::case::Expectation;

    fn handshake(headers: &[(&str, &str)]) -> Handshake {
        Handshake {
            path: b"/p?q".to_vec(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec()))
                .collect(),
            delay: Duration::ZERO,
            expect: Expectation::default(),
            refused: false,
        }
    }

    #[test]
    fn request_with_defaults_and_overrides() {
        let (bytes, key) = request(&handshake(&[]), 8080);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("GET /p?q HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
        assert!(text.contains(&format!("Sec-WebSocket-Key: {KEY}\r\n")));
        assert!(text.ends_with("Sec-WebSocket-Version: 13\r\n\r\n"));
        assert_eq!(key, KEY.as_bytes());
        let (bytes, key) = request(
            &handshake(&[
                ("host", "example.com"),
                ("Origin", "http://o"),
                ("sec-websocket-key", "k"),
            ]),
            1,
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("Host: example.com\r\n") && !text.contains("127.0.0.1"));
        assert!(text.contains("Origin: http://o\r\n"));
        assert_eq!(key, b"k");
    }

    #[test]
    fn encodes_masked_frames_that_decode_back() {
        let frame = OutFrame {
            opcode: 1,
            fin: false,
            rsv: 5,
            masked: true,
            payload: b"hello".to_vec(),
        };
        let bytes = encode(&frame, [1, 2, 3, 4]).unwrap();
        assert_eq!(bytes[0], 0x01 | 0x40 | 0x10);
        assert_eq!(bytes[1], 0x80 | 5);
        assert_eq!(&bytes[2..6], &[1, 2, 3, 4]);
        let unmasked: Vec<u8> = bytes[6..]
            .iter()
            .zip([1, 2, 3, 4].iter().cycle())
            .map(|(b, m)| b ^ m)
            .collect();
        assert_eq!(unmasked, b"hello");
        let long = OutFrame {
            opcode: 2,
            fin: true,
            rsv: 0,
            masked: false,
            payload: vec![7; 70_000],
        };
        let bytes = encode(&long, [0; 4]).unwrap();
        assert_eq!(&bytes[..2], &[0x82, 127]);
        assert_eq!(bytes.len(), 10 + 70_000);
        assert_ne!(mask_key(1), mask_key(2));
        assert!(mask_key(0).iter().all(|b| *b != 0));
    }

    /// Decodes server bytes with a connected pair of sockets.
    async fn decode_all(wire: &[u8]) -> Vec<Result<Received, String>> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let client = Stream::Tcp(tokio::net::TcpStream::connect(addr).await.unwrap());
        let (mut server, _) = listener.accept().await.unwrap();
        server.write_all(wire).await.unwrap();
        drop(server);
        let mut conn = WsConn::new(client, Vec::new());
        let mut out = Vec::new();
        loop {
            let deadline = Instant::now() + Duration::from_secs(5);
            match conn.next(deadline).await {
                Ok(Some(Received::Eof)) => {
                    out.push(Ok(Received::Eof));
                    return out;
                }
                Ok(Some(got)) => out.push(Ok(got)),
                Ok(None) => panic!("no EOF"),
                Err(err) => {
                    out.push(Err(err));
                    return out;
                }
            }
        }
    }

    #[tokio::test]
    async fn decodes_server_frames() {
        let got =
            decode_all(b"\x81\x02hi\x02\x01a\x89\x01p\x00\x01b\x80\x00\x8a\x00\x88\x05\x03\xe8bye")
                .await;
        assert_eq!(
            got,
            [
                Ok(Received::Message {
                    binary: false,
                    data: b"hi".to_vec(),
                    frames: 1
                }),
                Ok(Received::Ping(b"p".to_vec())),
                Ok(Received::Message {
                    binary: true,
                    data: b"ab".to_vec(),
                    frames: 3
                }),
                Ok(Received::Pong(Vec::new())),
                Ok(Received::Close(b"\x03\xe8bye".to_vec())),
                Ok(Received::Eof),
            ]
        );
    }

    #[tokio::test]
    async fn rejects_what_a_server_must_not_send() {
        let bad: [(&[u8], &str); 9] = [
            (b"\x81\x81\x00\x00\x00\x00a", "masked"),
            (b"\xc1\x01a", "RSV"),
            (b"\x81\x01\xff", "not UTF-8"),
            (b"\x80\x01a", "no message to continue"),
            (b"\x01\x01a\x81\x01b", "before finishing"),
            (b"\x83\x00", "opcode: 3"),
            (b"\x09\x00", "fragmented or long control"),
            (b"\x88\x02\x03\xed", "1005"),
            (b"\x88\x01\x03", "1-byte"),
        ];
        for (wire, needle) in bad {
            let got = decode_all(wire).await;
            let err = got.last().unwrap().clone().unwrap_err();
            assert!(err.contains(needle), "{wire:?}: {err}");
        }
        let got = decode_all(b"\x81\x05ab").await;
        let err = got.last().unwrap().clone().unwrap_err();
        assert!(err.contains("middle of a frame"), "{err}");
    }

    #[test]
    fn checks_expectations() {
        let text = |data: &[u8], frames| Received::Message {
            binary: false,
            data: data.to_vec(),
            frames,
        };
        assert_eq!(
            check_received(&Expected::Text(b"a".to_vec()), &text(b"a", 1)),
            Ok(())
        );
        let err = check_received(&Expected::Text(b"a".to_vec()), &text(b"a", 2)).unwrap_err();
        assert!(err.contains("2 frames"), "{err}");
        let err = check_received(&Expected::Binary(b"a".to_vec()), &text(b"a", 1)).unwrap_err();
        assert_eq!(
            err,
            "expected binary message 'a', received text message 'a'"
        );
        let close = Received::Close(b"\x03\xf1Message too large".to_vec());
        let want = |code, reason: Option<&[u8]>| {
            Expected::Close(CloseExpect::Code(code, reason.map(<[u8]>::to_vec)))
        };
        assert_eq!(check_received(&want(1009, None), &close), Ok(()));
        assert_eq!(
            check_received(&want(1009, Some(b"Message too large")), &close),
            Ok(())
        );
        let err = check_received(&want(1000, None), &close).unwrap_err();
        assert_eq!(
            err,
            "expected close 1000, received close 1009 'Message too large'"
        );
        assert!(check_received(&Expected::Close(CloseExpect::NoCode), &close).is_err());
        assert_eq!(
            check_received(
                &Expected::Close(CloseExpect::NoCode),
                &Received::Close(Vec::new())
            ),
            Ok(())
        );
        assert_eq!(
            check_received(&Expected::Close(CloseExpect::Any), &close),
            Ok(())
        );
        let err = check_received(&Expected::Eof, &close).unwrap_err();
        assert!(
            err.starts_with("expected the end of the connection"),
            "{err}"
        );
    }
}
