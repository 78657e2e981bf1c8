//! A websocket server's connections: the handshake (fastwebsockets on a
//! hyper upgrade) and the two tasks of each client.
//!
//! The reader task is the only one that queues the client's events, so they
//! arrive in order (E1): `websocket_server_connect`, each message, then
//! `websocket_server_closed`. It reassembles fragments under the message
//! limit (1009 beyond it), checks text is UTF-8 (1007), lets
//! fastwebsockets answer pings and close frames through the client's outbox,
//! and waits for room in the computer's queue before reading on (E2: TCP
//! back-pressure). The writer task sends what the script and the protocol
//! queue in the client's outbox; the outbox is bounded, and when a `send`
//! was refused for room the writer queues `websocket_server_send_ready` once
//! it has taken enough (the script's `send` waits for it).

use std::convert::Infallible;
use std::future::{poll_fn, ready};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use craftos_http_core::{CloseInfo, Event, Outgoing, WebSocketClient};
use fastwebsockets::{Frame, OpCode, Payload, WebSocket, WebSocketError};
use http_body_util::Full;
use hyper::StatusCode;
use hyper::body::Incoming;
use hyper::header::ORIGIN;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;

use crate::accept::Listener;
use crate::convert::{self, Body};
use crate::inflight::ConnectionSlot;
use crate::port::WsServer;

/// How long a locally closed client waits for the peer's close reply (W7).
const CLOSE_REPLY_WAIT: Duration = Duration::from_secs(1);

/// Answer a handshake: `101` and a spawned client, or an error status.
pub(crate) fn accept(
    mut req: hyper::Request<Incoming>,
    listener: &Arc<Listener>,
    server: &WsServer,
    slot: Arc<ConnectionSlot>,
) -> hyper::Response<Body> {
    if let Some(allowed) = &listener.origins {
        let origin = req.headers().get(ORIGIN).and_then(|o| o.to_str().ok());
        if !origin.is_some_and(|o| allowed.iter().any(|a| a == o)) {
            tracing::debug!(?origin, "websocket handshake from a refused origin");
            return convert::plain(StatusCode::FORBIDDEN);
        }
    }
    let (response, upgrade) = match fastwebsockets::upgrade::upgrade(&mut req) {
        Ok(ok) => ok,
        Err(err) => {
            tracing::debug!(%err, "bad websocket handshake");
            return convert::plain(StatusCode::BAD_REQUEST);
        }
    };
    let client = Arc::new(
        WebSocketClient::new(listener.port, listener.limits.ws_max_message)
            .with_max_outbox(listener.limits.ws_max_outbox),
    );
    let listener = listener.clone();
    tokio::spawn(async move {
        match upgrade.await {
            Ok(ws) => {
                // The connection stays counted for its computer while it lives.
                let _slot = slot;
                run(ws, client, listener).await
            }
            Err(err) => tracing::debug!(%err, "websocket upgrade failed"),
        }
    });
    let (mut parts, _) = response.into_parts();
    for (name, value) in &server.headers {
        parts.headers.append(name.clone(), value.clone());
    }
    hyper::Response::from_parts(parts, Full::new(Bytes::new()))
}

/// Drive one client until its connection ends.
async fn run(
    ws: WebSocket<TokioIo<Upgraded>>,
    client: Arc<WebSocketClient>,
    listener: Arc<Listener>,
) {
    let (mut rx, tx) = ws.split(tokio::io::split);
    // fastwebsockets refuses frames of at least this size; a frame of
    // exactly the limit is allowed.
    rx.set_max_message_size(client.max_message().saturating_add(1));
    rx.set_auto_close(true);
    rx.set_auto_pong(true);

    // Counted like a connection, so a host draining its connections lets the
    // client's last frames out.
    let _live = listener.connections.enter();
    listener.inflight.track_client(client.clone());
    let connected = Event::WebSocketConnect {
        port: listener.port,
        client: client.clone(),
    };
    if !queue(&listener, connected).await {
        client.finish();
        listener.inflight.forget_client(client.id());
        return;
    }
    let mut writer = tokio::spawn(write_loop(tx, client.clone(), listener.clone()));
    let close = read_loop(&mut rx, &client, &listener).await;
    client.finish();
    if tokio::time::timeout(CLOSE_REPLY_WAIT, &mut writer)
        .await
        .is_err()
    {
        // A peer that takes nothing would keep the writer (and the socket
        // and the outbox) forever.
        writer.abort();
        client.drop_outbox();
    }
    listener.inflight.forget_client(client.id());
    queue(
        &listener,
        Event::WebSocketClosed {
            client: client.clone(),
            close,
        },
    )
    .await;
}

/// Queue `event` to the computer, waiting for room (E2). `false` if the
/// computer is gone.
async fn queue(listener: &Listener, mut event: Event) -> bool {
    let sink = &listener.computer.sink;
    loop {
        match sink.try_send(event) {
            Ok(()) => return true,
            Err(craftos_http_core::SendError::Closed(_)) => return false,
            Err(craftos_http_core::SendError::Full(back)) => {
                event = back;
                if poll_fn(|cx| sink.poll_ready(cx)).await.is_err() {
                    return false;
                }
            }
        }
    }
}

/// A message being reassembled from its frames.
struct Assembly {
    binary: bool,
    data: Vec<u8>,
    checked: usize,
}

/// Read frames until the connection ends; returns what
/// `websocket_server_closed` reports.
async fn read_loop(
    rx: &mut fastwebsockets::WebSocketRead<tokio::io::ReadHalf<TokioIo<Upgraded>>>,
    client: &Arc<WebSocketClient>,
    listener: &Listener,
) -> CloseInfo {
    let limit = client.max_message();
    let mut message: Option<Assembly> = None;
    // Obligated frames (pongs, close echoes) go through the writer. A close
    // the script started is not echoed: the peer's close is its reply.
    let mut obligated = |frame: Frame<'_>| {
        match frame.opcode {
            OpCode::Pong => {
                client.push_control(Outgoing::Pong(Bytes::copy_from_slice(&frame.payload)))
            }
            _ if client.is_closed_locally() => {}
            // Control frames carry at most 125 bytes (RFC 6455 5.5): an
            // oversized close is failed below, not echoed.
            _ if frame.payload.len() > 125 => {}
            _ => client.push_control(Outgoing::CloseEcho(Bytes::copy_from_slice(&frame.payload))),
        }
        ready(Ok::<_, Infallible>(()))
    };
    let mut reply_deadline = None;
    loop {
        // A read is never abandoned halfway (fastwebsockets' reads are not
        // cancel-safe): the local close only starts the reply deadline.
        let read = rx.read_frame(&mut obligated);
        tokio::pin!(read);
        let frame = loop {
            tokio::select! {
                frame = &mut read => break frame,
                _ = poll_fn(|cx| client.poll_local_close(cx)), if reply_deadline.is_none() => {
                    reply_deadline = Some(tokio::time::Instant::now() + CLOSE_REPLY_WAIT);
                }
                _ = sleep_until_some(reply_deadline) => return None,
            }
        };
        let mut frame = match frame {
            Ok(frame) => frame,
            Err(err) => return fail(client, err),
        };
        // Clients must mask every frame (RFC 6455 5.1).
        if !is_masked(&mut frame) {
            return protocol_error(client);
        }
        if matches!(frame.opcode, OpCode::Close | OpCode::Pong) && frame.payload.len() > 125 {
            return protocol_error(client);
        }
        match frame.opcode {
            OpCode::Close => {
                client.mark_peer_closed();
                return close_info(&frame.payload);
            }
            OpCode::Text | OpCode::Binary => {
                if message.is_some() {
                    return protocol_error(client);
                }
                message = Some(Assembly {
                    binary: frame.opcode == OpCode::Binary,
                    data: Vec::new(),
                    checked: 0,
                });
            }
            OpCode::Continuation => {
                if message.is_none() {
                    return protocol_error(client);
                }
            }
            OpCode::Ping | OpCode::Pong => continue,
        }
        let assembly = message.as_mut().expect("a message is being assembled");
        if assembly.data.len() + frame.payload.len() > limit {
            return too_large(client);
        }
        assembly.data.extend_from_slice(&frame.payload);
        if !assembly.binary {
            // Fail fast: only an incomplete sequence at the end may wait
            // for the next fragment.
            let start = assembly.checked;
            match std::str::from_utf8(&assembly.data[start..]) {
                Ok(_) => assembly.checked = assembly.data.len(),
                Err(e) if e.error_len().is_none() && !frame.fin => {
                    assembly.checked = start + e.valid_up_to()
                }
                Err(_) => return invalid_utf8(client),
            }
        }
        if !frame.fin {
            continue;
        }
        // Text was checked fragment by fragment above.
        let Assembly { binary, data, .. } = message.take().expect("a message is being assembled");
        let event = Event::WebSocketMessage {
            client: client.clone(),
            message: Bytes::from(data),
            binary,
        };
        if !queue(listener, event).await {
            client.close_with(1001, b"");
            return None;
        }
    }
}

/// Whether the frame came masked. fastwebsockets unmasks in place and keeps
/// the key private; its formatted head still carries the mask bit.
fn is_masked(frame: &mut Frame<'_>) -> bool {
    let mut head = [0u8; 16];
    frame.fmt_head(&mut head);
    head[1] & 0x80 != 0
}

async fn sleep_until_some(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// The code and reason of a close frame's payload (W8), if it has a code.
fn close_info(payload: &[u8]) -> CloseInfo {
    if payload.len() < 2 {
        return None;
    }
    let code = u16::from_be_bytes([payload[0], payload[1]]);
    Some((code, Bytes::copy_from_slice(&payload[2..])))
}

fn closing(client: &WebSocketClient, code: u16, reason: &'static str) -> CloseInfo {
    client.push_control(Outgoing::Close {
        code,
        reason: Bytes::from_static(reason.as_bytes()),
    });
    Some((code, Bytes::from_static(reason.as_bytes())))
}

fn too_large(client: &WebSocketClient) -> CloseInfo {
    closing(client, 1009, "Message too large")
}

fn invalid_utf8(client: &WebSocketClient) -> CloseInfo {
    closing(client, 1007, "Invalid UTF-8")
}

fn protocol_error(client: &WebSocketClient) -> CloseInfo {
    closing(client, 1002, "Protocol error")
}

/// What a read error means for the peer and for the event (W8, W9).
fn fail(client: &WebSocketClient, err: WebSocketError) -> CloseInfo {
    match err {
        // The peer dropped TCP without a close frame: `(clientID)` only.
        WebSocketError::UnexpectedEOF | WebSocketError::IoError(_) => None,
        WebSocketError::FrameTooLarge => too_large(client),
        WebSocketError::InvalidUTF8 => invalid_utf8(client),
        // fastwebsockets already queued its 1002 reply.
        WebSocketError::InvalidCloseCode => Some((1002, Bytes::from_static(b"Protocol error"))),
        WebSocketError::ConnectionClosed => None,
        other => {
            tracing::debug!(err = %other, "websocket protocol error");
            protocol_error(client)
        }
    }
}

/// Send what the client's outbox holds until the connection is done.
async fn write_loop(
    mut tx: fastwebsockets::WebSocketWrite<tokio::io::WriteHalf<TokioIo<Upgraded>>>,
    client: Arc<WebSocketClient>,
    listener: Arc<Listener>,
) {
    while let Some(out) = poll_fn(|cx| client.poll_outgoing(cx)).await {
        // Taking the frame may have made room for a `send` that waits.
        if client.take_send_ready() {
            let ready = Event::WebSocketSendReady {
                client: client.clone(),
            };
            queue(&listener, ready).await;
        }
        let (frame, last) = match out {
            Outgoing::Text(b) => (Frame::text(Payload::Owned(b.to_vec())), false),
            Outgoing::Binary(b) => (Frame::binary(Payload::Owned(b.to_vec())), false),
            Outgoing::Pong(b) => (Frame::pong(Payload::Owned(b.to_vec())), false),
            Outgoing::Close { code, reason } => (Frame::close(code, &reason), false),
            Outgoing::CloseEcho(payload) => {
                (Frame::close_raw(Payload::Owned(payload.to_vec())), true)
            }
        };
        if let Err(err) = tx.write_frame(frame).await {
            tracing::debug!(%err, "websocket write failed");
            client.mark_peer_closed();
            break;
        }
        if last {
            break;
        }
    }
    let _ = tx.flush().await;
}
