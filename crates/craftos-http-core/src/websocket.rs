//! A WebSocket server's client: the handle state shared by the transport
//! (which reads and writes frames) and the computer (whose client handle
//! sends, receives and closes) (SEMANTICS section 6).

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use thiserror::Error;

/// A client's id: unique among the clients of a process while it lives; the
/// `clientID` scripts see (a light userdata) is made from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientId(pub u64);

impl ClientId {
    /// A fresh id (never 0).
    pub fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        ClientId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What a websocket server adds to its handshake answers (W1 `headers`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebSocketServerOptions {
    /// Extra headers of the `101 Switching Protocols` response, validated.
    pub headers: Vec<(String, Bytes)>,
}

/// Why `client.send` was refused (W5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum SendError {
    /// Longer than the message limit (checked first).
    #[error("Message is too large")]
    TooLarge,
    /// Either side has closed.
    #[error("attempt to use a closed file")]
    Closed,
}

/// A frame the transport is to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// A text message (valid UTF-8).
    Text(Bytes),
    /// A binary message.
    Binary(Bytes),
    /// A pong answering a ping.
    Pong(Bytes),
    /// A close frame with this code and reason.
    Close {
        /// The close code.
        code: u16,
        /// The reason (UTF-8).
        reason: Bytes,
    },
    /// A close frame echoing the peer's close payload (ends the writer).
    CloseEcho(Bytes),
}

/// How a client's connection ended, as `websocket_server_closed` reports it
/// (W8): `Some((code, reason))` when a close code is known.
pub type CloseInfo = Option<(u16, Bytes)>;

/// One connected client of a websocket server.
pub struct WebSocketClient {
    id: ClientId,
    port: u16,
    max_message: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    outbox: VecDeque<Outgoing>,
    writer: Option<Waker>,
    reader: Option<Waker>,
    /// The script called `close()` (W7).
    local_closed: bool,
    /// The peer closed, or the connection ended (W6: `send` fails).
    peer_closed: bool,
    /// `websocket_server_closed` reached the script (W6: `receive` is nil).
    closed_delivered: bool,
    /// The transport is done: the writer ends once the outbox is empty.
    finished: bool,
}

impl WebSocketClient {
    /// A client connected to the server on `port`; messages longer than
    /// `max_message` bytes are refused both ways.
    pub fn new(port: u16, max_message: usize) -> Self {
        WebSocketClient {
            id: ClientId::next(),
            port,
            max_message,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The client's id.
    pub fn id(&self) -> ClientId {
        self.id
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The message limit in bytes.
    pub fn max_message(&self) -> usize {
        self.max_message
    }

    // ---- computer side ----

    /// `client.send(message[, binary])` (W5). Text that is not valid UTF-8
    /// is sent with each invalid sequence replaced by U+FFFD.
    pub fn send(&self, message: &[u8], binary: bool) -> Result<(), SendError> {
        if message.len() > self.max_message {
            return Err(SendError::TooLarge);
        }
        let mut s = self.lock();
        if s.local_closed || s.peer_closed || s.finished {
            return Err(SendError::Closed);
        }
        let frame = if binary {
            Outgoing::Binary(Bytes::copy_from_slice(message))
        } else {
            match std::str::from_utf8(message) {
                Ok(_) => Outgoing::Text(Bytes::copy_from_slice(message)),
                Err(_) => {
                    Outgoing::Text(Bytes::from(String::from_utf8_lossy(message).into_owned()))
                }
            }
        };
        push(&mut s, frame);
        Ok(())
    }

    /// `client.close()` (W7): idempotent; sends a close frame (1000) at once.
    pub fn close(&self) {
        self.close_with(1000, b"");
    }

    /// Close with `code` and `reason` unless already closed locally (the
    /// host uses 1001 when the computer shuts down, L6).
    pub fn close_with(&self, code: u16, reason: &[u8]) {
        let mut s = self.lock();
        if s.local_closed {
            return;
        }
        s.local_closed = true;
        if !s.peer_closed && !s.finished {
            push(
                &mut s,
                Outgoing::Close {
                    code,
                    reason: Bytes::copy_from_slice(reason),
                },
            );
        }
        if let Some(w) = s.reader.take() {
            w.wake();
        }
    }

    /// Whether the script closed the client (W6: `receive` then raises).
    pub fn is_closed_locally(&self) -> bool {
        self.lock().local_closed
    }

    /// Whether `websocket_server_closed` was delivered to the script.
    pub fn is_closed_delivered(&self) -> bool {
        self.lock().closed_delivered
    }

    /// Record that `websocket_server_closed` reached the script.
    pub fn mark_closed_delivered(&self) {
        let mut s = self.lock();
        s.closed_delivered = true;
        s.peer_closed = true;
    }

    // ---- transport side ----

    /// The next frame to write; `Ready(None)` when the writer is done.
    pub fn poll_outgoing(&self, cx: &mut Context<'_>) -> Poll<Option<Outgoing>> {
        let mut s = self.lock();
        if let Some(frame) = s.outbox.pop_front() {
            return Poll::Ready(Some(frame));
        }
        if s.finished {
            return Poll::Ready(None);
        }
        match &s.writer {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => s.writer = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Queue a frame the protocol obliges (pong, close echo, error close).
    pub fn push_control(&self, frame: Outgoing) {
        let mut s = self.lock();
        if !s.finished {
            push(&mut s, frame);
        }
    }

    /// Ready once the script has closed the client (the transport then
    /// waits up to 1 s for the peer's close reply, W7).
    pub fn poll_local_close(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = self.lock();
        if s.local_closed {
            return Poll::Ready(());
        }
        s.reader = Some(cx.waker().clone());
        Poll::Pending
    }

    /// The peer closed or the connection ended: `send` fails from now on.
    pub fn mark_peer_closed(&self) {
        self.lock().peer_closed = true;
    }

    /// The transport is done with the connection: the writer ends after
    /// what is queued.
    pub fn finish(&self) {
        let mut s = self.lock();
        s.finished = true;
        s.peer_closed = true;
        if let Some(w) = s.writer.take() {
            w.wake();
        }
    }
}

fn push(s: &mut State, frame: Outgoing) {
    s.outbox.push_back(frame);
    if let Some(w) = s.writer.take() {
        w.wake();
    }
}

impl fmt::Debug for WebSocketClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebSocketClient")
            .field("id", &self.id)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::task::Wake;

    use super::*;

    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }

    fn next(c: &WebSocketClient) -> Poll<Option<Outgoing>> {
        let waker = Waker::from(Arc::new(Noop));
        c.poll_outgoing(&mut Context::from_waker(&waker))
    }

    #[test]
    fn send_checks_size_first_then_closed() {
        let c = WebSocketClient::new(80, 4);
        assert_eq!(c.send(b"12345", false), Err(SendError::TooLarge));
        c.send(b"1234", true).unwrap();
        c.close();
        c.close(); // idempotent
        assert_eq!(c.send(b"12345", false), Err(SendError::TooLarge));
        assert_eq!(c.send(b"x", false), Err(SendError::Closed));
        assert_eq!(
            next(&c),
            Poll::Ready(Some(Outgoing::Binary(Bytes::from_static(b"1234"))))
        );
        assert!(matches!(
            next(&c),
            Poll::Ready(Some(Outgoing::Close { code: 1000, .. }))
        ));
        assert!(next(&c).is_pending());
        c.finish();
        assert_eq!(next(&c), Poll::Ready(None));
    }

    #[test]
    fn invalid_text_is_replaced() {
        let c = WebSocketClient::new(80, 100);
        c.send(b"a\xffb", false).unwrap();
        assert_eq!(
            next(&c),
            Poll::Ready(Some(Outgoing::Text(Bytes::from("a\u{fffd}b"))))
        );
    }

    #[test]
    fn peer_close_stops_send() {
        let c = WebSocketClient::new(80, 100);
        c.mark_peer_closed();
        assert_eq!(c.send(b"x", false), Err(SendError::Closed));
        assert!(!c.is_closed_locally());
        assert_ne!(WebSocketClient::new(1, 1).id(), c.id());
    }
}
