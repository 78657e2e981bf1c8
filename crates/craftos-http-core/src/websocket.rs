//! A WebSocket server's client: the handle state shared by the transport
//! (which reads and writes frames) and the computer (whose client handle
//! sends, receives and closes) (SEMANTICS section 6).

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
    /// The outbox holds more than its bound (`Limits::ws_max_outbox`): the
    /// message was not queued. Once the client has taken enough of it,
    /// [`WebSocketClient::take_send_ready`] turns true and the transport
    /// queues [`Event::WebSocketSendReady`](crate::Event::WebSocketSendReady);
    /// send again then.
    #[error("the client's outbox is full")]
    Full,
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
///
/// Its outbox is bounded: messages the script sends wait there until the
/// transport writes them, and once they add up to more than the bound
/// ([`WebSocketClient::with_max_outbox`]) `send` refuses with
/// [`SendError::Full`] until the client has taken enough. Pongs go before
/// messages, and at most [`MAX_PENDING_PONGS`] wait at once: beyond that the
/// latest replaces the last one waiting (RFC 6455 5.5.3 lets an endpoint
/// answer only the latest of several pings), so a peer that pings and never
/// reads holds a few pongs, not one per ping.
pub struct WebSocketClient {
    id: ClientId,
    port: u16,
    max_message: usize,
    max_outbox: usize,
    /// A refused `send` may now fit: the transport is to queue
    /// `WebSocketSendReady` (read without the lock on every frame).
    ready: AtomicBool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    outbox: VecDeque<Outgoing>,
    /// Payload bytes of the messages in `outbox`.
    queued: usize,
    /// Pongs to send before anything else, oldest first (at most
    /// `MAX_PENDING_PONGS`).
    pongs: VecDeque<Bytes>,
    /// A close frame was queued: no pong may follow it.
    close_queued: bool,
    /// A `send` of this many bytes was refused for room (the largest, if
    /// several were).
    waiting: Option<usize>,
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
    /// `max_message` bytes are refused both ways. Its outbox holds the
    /// default bound ([`Limits::ws_max_outbox`](crate::Limits::ws_max_outbox)).
    pub fn new(port: u16, max_message: usize) -> Self {
        WebSocketClient {
            id: ClientId::next(),
            port,
            max_message,
            max_outbox: DEFAULT_MAX_OUTBOX,
            ready: AtomicBool::new(false),
            state: Mutex::new(State::default()),
        }
    }

    /// The same client with an outbox of `bytes`: `send` is refused with
    /// [`SendError::Full`] while the messages queued and not yet written
    /// add up to more than that and the new one does not fit (an empty
    /// outbox takes any message within the size limit).
    pub fn with_max_outbox(mut self, bytes: usize) -> Self {
        self.max_outbox = bytes;
        self
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
    /// is sent with each invalid sequence replaced by U+FFFD. Checks the
    /// size, then whether either side closed, then room in the outbox
    /// ([`SendError::Full`]: nothing was queued; wait for
    /// [`WebSocketClient::take_send_ready`] and send again).
    pub fn send(&self, message: &[u8], binary: bool) -> Result<(), SendError> {
        if message.len() > self.max_message {
            return Err(SendError::TooLarge);
        }
        let mut s = self.lock();
        if s.local_closed || s.peer_closed || s.finished {
            return Err(SendError::Closed);
        }
        // Replacement characters make text longer: room is checked for what
        // will be queued.
        let replaced = match binary || std::str::from_utf8(message).is_ok() {
            true => None,
            false => Some(String::from_utf8_lossy(message).into_owned()),
        };
        let len = replaced.as_ref().map_or(message.len(), String::len);
        if s.queued > 0 && s.queued.saturating_add(len) > self.max_outbox {
            s.waiting = Some(s.waiting.map_or(len, |w| w.max(len)));
            return Err(SendError::Full);
        }
        let frame = match (binary, replaced) {
            (true, _) => Outgoing::Binary(Bytes::copy_from_slice(message)),
            (false, None) => Outgoing::Text(Bytes::copy_from_slice(message)),
            (false, Some(text)) => Outgoing::Text(Bytes::from(text)),
        };
        push(&mut s, frame);
        Ok(())
    }

    /// Whether a `send` refused with [`SendError::Full`] may now fit (or
    /// the client closed meanwhile): true once per refusal. The transport
    /// asks after taking frames and queues
    /// [`Event::WebSocketSendReady`](crate::Event::WebSocketSendReady) when
    /// it is.
    pub fn take_send_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire) && self.ready.swap(false, Ordering::AcqRel)
    }

    /// Bytes of messages queued and not yet taken by the transport.
    pub fn queued_bytes(&self) -> usize {
        self.lock().queued
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
        // A send waiting for room fails now instead.
        if s.waiting.take().is_some() {
            self.ready.store(true, Ordering::Release);
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

    /// The next frame to write (a pending pong first); `Ready(None)` when
    /// the writer is done.
    pub fn poll_outgoing(&self, cx: &mut Context<'_>) -> Poll<Option<Outgoing>> {
        let mut s = self.lock();
        if let Some(payload) = s.pongs.pop_front() {
            return Poll::Ready(Some(Outgoing::Pong(payload)));
        }
        if let Some(frame) = s.outbox.pop_front() {
            if let Outgoing::Text(b) | Outgoing::Binary(b) = &frame {
                s.queued -= b.len();
                if let Some(need) = s.waiting
                    && (s.queued == 0 || s.queued.saturating_add(need) <= self.max_outbox)
                {
                    s.waiting = None;
                    self.ready.store(true, Ordering::Release);
                }
            }
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
    /// Past [`MAX_PENDING_PONGS`] waiting pongs a pong replaces the last one,
    /// and none follows a close frame.
    pub fn push_control(&self, frame: Outgoing) {
        let mut s = self.lock();
        if !s.finished {
            push(&mut s, frame);
        }
    }

    /// The transport gave up writing (the peer took nothing for too long,
    /// or the connection is gone): what is still queued is dropped.
    pub fn drop_outbox(&self) {
        let mut s = self.lock();
        s.outbox = VecDeque::new();
        s.queued = 0;
        s.pongs = VecDeque::new();
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

/// Pongs that wait to be sent at once; a ping beyond them replaces the
/// last one's answer (each pong carries at most 125 bytes).
pub const MAX_PENDING_PONGS: usize = 16;

/// The default outbox bound (`Limits::default().ws_max_outbox`).
const DEFAULT_MAX_OUTBOX: usize = 1024 * 1024;

fn push(s: &mut State, frame: Outgoing) {
    match frame {
        Outgoing::Pong(payload) => {
            if s.close_queued {
                return;
            }
            if s.pongs.len() >= MAX_PENDING_PONGS {
                s.pongs.pop_back();
            }
            s.pongs.push_back(payload);
        }
        frame => {
            match &frame {
                Outgoing::Text(b) | Outgoing::Binary(b) => s.queued += b.len(),
                Outgoing::Close { .. } | Outgoing::CloseEcho(_) => s.close_queued = true,
                Outgoing::Pong(_) => {}
            }
            s.outbox.push_back(frame);
        }
    }
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
    fn a_full_outbox_refuses_until_the_transport_takes_frames() {
        let c = WebSocketClient::new(80, 100).with_max_outbox(150);
        c.send(&[1; 100], true).unwrap();
        // 100 + 60 > 150: refused, nothing queued.
        assert_eq!(c.send(&[2; 60], true), Err(SendError::Full));
        assert_eq!(c.queued_bytes(), 100);
        assert!(!c.take_send_ready());
        // 100 + 50 fits.
        c.send(&[3; 50], true).unwrap();
        assert!(matches!(next(&c), Poll::Ready(Some(Outgoing::Binary(b))) if b.len() == 100));
        // 50 + 60 fits now: the waiting send is told, once.
        assert!(c.take_send_ready());
        assert!(!c.take_send_ready());
        c.send(&[2; 60], true).unwrap();
        assert_eq!(c.queued_bytes(), 110);
    }

    #[test]
    fn an_empty_outbox_takes_any_message_within_the_limit() {
        let c = WebSocketClient::new(80, 100).with_max_outbox(0);
        c.send(&[0; 100], false).unwrap();
        assert_eq!(c.send(b"x", false), Err(SendError::Full));
        assert!(next(&c).is_ready());
        assert!(c.take_send_ready());
        c.send(b"x", false).unwrap();
    }

    #[test]
    fn replacement_characters_count_against_the_outbox() {
        // Two invalid bytes become two 3-byte U+FFFD.
        let c = WebSocketClient::new(80, 100).with_max_outbox(7);
        c.send(b"\xff\xff", false).unwrap();
        assert_eq!(c.queued_bytes(), 6);
        assert_eq!(c.send(b"ab", false), Err(SendError::Full));
    }

    #[test]
    fn closing_wakes_a_waiting_send_which_then_fails() {
        let c = WebSocketClient::new(80, 100).with_max_outbox(10);
        c.send(&[0; 10], true).unwrap();
        assert_eq!(c.send(&[0; 10], true), Err(SendError::Full));
        c.close();
        assert!(c.take_send_ready());
        assert_eq!(c.send(&[0; 10], true), Err(SendError::Closed));
    }

    #[test]
    fn pongs_are_coalesced_and_none_follows_a_close() {
        let c = WebSocketClient::new(80, 100);
        c.send(b"m", false).unwrap();
        for i in 0..MAX_PENDING_PONGS + 10 {
            c.push_control(Outgoing::Pong(Bytes::from(i.to_string())));
        }
        // The first pongs in order, then the latest in the last place, all
        // before the queued message.
        for i in 0..MAX_PENDING_PONGS - 1 {
            assert_eq!(
                next(&c),
                Poll::Ready(Some(Outgoing::Pong(Bytes::from(i.to_string()))))
            );
        }
        assert_eq!(
            next(&c),
            Poll::Ready(Some(Outgoing::Pong(Bytes::from(
                (MAX_PENDING_PONGS + 9).to_string()
            ))))
        );
        assert_eq!(
            next(&c),
            Poll::Ready(Some(Outgoing::Text(Bytes::from_static(b"m"))))
        );
        assert!(next(&c).is_pending());
        c.close();
        c.push_control(Outgoing::Pong(Bytes::from_static(b"late")));
        assert!(matches!(
            next(&c),
            Poll::Ready(Some(Outgoing::Close { .. }))
        ));
        assert!(next(&c).is_pending());
    }

    #[test]
    fn dropping_the_outbox_frees_it() {
        let c = WebSocketClient::new(80, 100);
        c.send(b"abc", false).unwrap();
        c.push_control(Outgoing::Pong(Bytes::new()));
        c.drop_outbox();
        assert_eq!(c.queued_bytes(), 0);
        assert!(next(&c).is_pending());
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
