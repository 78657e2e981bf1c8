//! The peer's end of a websocket client of a
//! [`MemoryTransport`](super::MemoryTransport): messages in as whole
//! messages (no framing), frames out as the transport would write them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::Open;
use super::park::wait_until;
use crate::{CloseInfo, Event, EventSink, Outgoing, SendError, WebSocketClient};

/// Why the peer could not send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeerError {
    /// The connection has ended (either side closed, or the computer is
    /// gone).
    #[error("the websocket connection is closed")]
    Closed,
}

/// A connected peer of a computer's websocket server, as a client program
/// on the other end of a socket would be, but in memory.
///
/// Its events reach the computer in order (E1): `websocket_server_connect`
/// (already queued when [`MemoryTransport::connect`](super::MemoryTransport::connect)
/// returns), one `websocket_server_message` per [`send`](Self::send), then one
/// `websocket_server_closed`, after [`close`](Self::close),
/// [`disconnect`](Self::disconnect), a message over the limit (1009) or
/// invalid UTF-8 (1007), or when dropped.
pub struct MemoryWebSocket {
    client: Arc<WebSocketClient>,
    sink: Arc<dyn EventSink>,
    open: Arc<Open>,
    ended: bool,
}

impl MemoryWebSocket {
    pub(crate) fn new(
        client: Arc<WebSocketClient>,
        sink: Arc<dyn EventSink>,
        open: Arc<Open>,
    ) -> Self {
        MemoryWebSocket {
            client,
            sink,
            open,
            ended: false,
        }
    }

    /// The server-side client handle (its id is the script's `clientID`).
    pub fn client(&self) -> &Arc<WebSocketClient> {
        &self.client
    }

    /// Whether the connection has ended on the peer's side.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// Send a whole message. A message over the limit closes the connection
    /// with 1009, text that is not UTF-8 with 1007 (W9), as the socket
    /// transport does; both still return `Ok` (the peer learns it from the
    /// close frame). Blocks while the computer's queue is full (E2).
    pub fn send(&mut self, message: &[u8], binary: bool) -> Result<(), PeerError> {
        if self.ended {
            return Err(PeerError::Closed);
        }
        if message.len() > self.client.max_message() {
            self.fail(1009, "Message too large");
            return Ok(());
        }
        if !binary && std::str::from_utf8(message).is_err() {
            self.fail(1007, "Invalid UTF-8");
            return Ok(());
        }
        let event = Event::WebSocketMessage {
            client: self.client.clone(),
            message: Bytes::copy_from_slice(message),
            binary,
        };
        if !queue_blocking(&self.sink, event) {
            self.client.close_with(1001, b"");
            self.end(None);
            return Err(PeerError::Closed);
        }
        Ok(())
    }

    /// A ping: the server answers with a pong carrying `payload` (W9).
    pub fn ping(&mut self, payload: &[u8]) -> Result<(), PeerError> {
        if self.ended {
            return Err(PeerError::Closed);
        }
        self.client
            .push_control(Outgoing::Pong(Bytes::copy_from_slice(payload)));
        Ok(())
    }

    /// The next frame the server sent, waiting up to `timeout`; `None` on
    /// timeout or once the server has nothing more to send.
    pub fn recv(&mut self, timeout: Duration) -> Option<Outgoing> {
        match self.frames().recv(timeout) {
            Received::Frame(frame) => Some(frame),
            Received::Timeout | Received::Ended => None,
        }
    }

    /// A receiver of what the server sends, for another thread (so one
    /// thread can wait for frames while another sends).
    pub fn frames(&self) -> Frames {
        Frames {
            client: self.client.clone(),
            sink: self.sink.clone(),
        }
    }

    /// A close frame from the peer, with a code and reason or with none
    /// (W8). If the script had not closed the client, the server echoes it.
    pub fn close(&mut self, close: CloseInfo) {
        if self.ended {
            return;
        }
        if !self.client.is_closed_locally() {
            let mut payload = Vec::new();
            if let Some((code, reason)) = &close {
                payload.extend_from_slice(&code.to_be_bytes());
                payload.extend_from_slice(reason);
            }
            self.client
                .push_control(Outgoing::CloseEcho(Bytes::from(payload)));
        }
        self.end(close);
    }

    /// The connection drops without a close frame: the script sees
    /// `websocket_server_closed` with the client id only (W8).
    pub fn disconnect(&mut self) {
        self.end(None);
    }

    /// The server fails the connection with `code`.
    fn fail(&mut self, code: u16, reason: &'static str) {
        self.client.push_control(Outgoing::Close {
            code,
            reason: Bytes::from_static(reason.as_bytes()),
        });
        self.end(Some((code, Bytes::from_static(reason.as_bytes()))));
    }

    /// The connection is over: no more sends, then `websocket_server_closed`.
    fn end(&mut self, close: CloseInfo) {
        if self.ended {
            return;
        }
        self.ended = true;
        self.client.mark_peer_closed();
        self.client.finish();
        self.open.forget_client(&self.client);
        queue_blocking(
            &self.sink,
            Event::WebSocketClosed {
                client: self.client.clone(),
                close,
            },
        );
    }
}

/// What [`Frames::recv`] got.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    /// A frame the server sent.
    Frame(Outgoing),
    /// Nothing within the timeout.
    Timeout,
    /// The server will send nothing more.
    Ended,
}

/// The frames a websocket client's server sends, in order; see
/// [`MemoryWebSocket::frames`].
#[derive(Clone)]
pub struct Frames {
    client: Arc<WebSocketClient>,
    sink: Arc<dyn EventSink>,
}

impl std::fmt::Debug for Frames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frames")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl Frames {
    /// The next frame, waiting up to `timeout` (blocks this thread).
    pub fn recv(&self, timeout: Duration) -> Received {
        let deadline = crate::deadline_after(Instant::now(), timeout);
        match wait_until(Some(deadline), |cx| self.client.poll_outgoing(cx)) {
            Some(Some(frame)) => {
                // Taking a frame may make room for a `send` that waits.
                if self.client.take_send_ready() {
                    queue_blocking(
                        &self.sink,
                        Event::WebSocketSendReady {
                            client: self.client.clone(),
                        },
                    );
                }
                Received::Frame(frame)
            }
            Some(None) => Received::Ended,
            None => Received::Timeout,
        }
    }
}

impl Drop for MemoryWebSocket {
    fn drop(&mut self) {
        self.end(None);
    }
}

/// Queue `event`, blocking while the computer's queue is full; `false` if
/// the computer is gone.
pub(crate) fn queue_blocking(sink: &Arc<dyn EventSink>, event: Event) -> bool {
    let mut event = Some(event);
    loop {
        match sink.try_send(event.take().expect("event")) {
            Ok(()) => return true,
            Err(SendError::Closed(_)) => return false,
            Err(SendError::Full(back)) => {
                event = Some(back);
                if wait_until(None, |cx| sink.poll_ready(cx)) != Some(Ok(())) {
                    return false;
                }
            }
        }
    }
}
