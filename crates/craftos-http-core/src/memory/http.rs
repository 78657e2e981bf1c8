//! HTTP requests injected into a [`MemoryTransport`](super::MemoryTransport):
//! what the transport answers by itself (R2, L7, E2) and the wait for the
//! script's response (S8).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::park::wait_until;
use crate::{Event, EventSink, Exchange, Response, SendError};

/// A request on its way through a computer: ask for the response with
/// [`PendingResponse::wait`] (blocking) or [`PendingResponse::poll`].
///
/// Like the hyper transport, the response deadline (S8) counts from the
/// moment the event was queued, and a computer whose queue stays full
/// until the deadline gets the request answered `503` (E2).
pub struct PendingResponse {
    state: State,
    timeout: Duration,
    /// The request body's bytes counted against the computer's
    /// `max_buffered` until the response is done with.
    _held: Option<Held>,
}

/// Bytes counted in a computer's buffered total, released on drop.
pub(crate) struct Held {
    total: Arc<AtomicUsize>,
    bytes: usize,
}

impl Held {
    /// Count `bytes` in `total` unless that makes it more than `max`.
    pub(crate) fn take(total: &Arc<AtomicUsize>, bytes: usize, max: usize) -> Option<Held> {
        total
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                n.checked_add(bytes).filter(|&sum| sum <= max)
            })
            .ok()
            .map(|_| Held {
                total: total.clone(),
                bytes,
            })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.total.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

enum State {
    /// Answered by the transport, or already taken.
    Ready(Option<Response>),
    /// Waiting for room in the computer's queue.
    Queueing {
        event: Option<Event>,
        exchange: Arc<Exchange>,
        sink: Arc<dyn EventSink>,
        since: Instant,
    },
    /// Queued: waiting for the script's response.
    Queued {
        exchange: Arc<Exchange>,
        since: Instant,
    },
}

impl PendingResponse {
    /// A response the transport gives without the computer.
    pub(crate) fn ready(response: Response) -> Self {
        PendingResponse {
            state: State::Ready(Some(response)),
            timeout: Duration::ZERO,
            _held: None,
        }
    }

    /// Queue `exchange`'s event to `sink` now if there is room.
    pub(crate) fn queue(
        port: u16,
        exchange: Arc<Exchange>,
        sink: Arc<dyn EventSink>,
        timeout: Duration,
        held: Option<Held>,
    ) -> Self {
        let mut pending = PendingResponse {
            state: State::Queueing {
                event: Some(Event::http_request(port, exchange.clone())),
                exchange,
                sink,
                since: Instant::now(),
            },
            timeout,
            _held: held,
        };
        pending.try_queue(None);
        pending
    }

    /// Whether the request's event reached the computer's queue.
    pub fn is_queued(&self) -> bool {
        matches!(self.state, State::Queued { .. })
    }

    /// Move from `Queueing` to `Queued` if the sink takes the event,
    /// registering `cx` for room otherwise.
    fn try_queue(&mut self, cx: Option<&mut Context<'_>>) {
        let State::Queueing {
            event,
            exchange,
            sink,
            ..
        } = &mut self.state
        else {
            return;
        };
        let Some(ev) = event.take() else { return };
        match sink.try_send(ev) {
            Ok(()) => {
                self.state = State::Queued {
                    exchange: exchange.clone(),
                    since: Instant::now(),
                };
            }
            Err(SendError::Closed(_)) => self.state = State::Ready(Some(busy())),
            Err(SendError::Full(back)) => {
                *event = Some(back);
                if let Some(cx) = cx
                    && sink.poll_ready(cx).is_ready()
                {
                    // Room freed meanwhile (or the computer is gone): retry.
                    cx.waker().wake_by_ref();
                }
            }
        }
    }

    /// Poll for the response without a deadline of its own: the caller's
    /// clock decides when to call [`PendingResponse::expire`].
    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Response> {
        self.try_queue(Some(cx));
        match &mut self.state {
            State::Ready(r) => match r.take() {
                Some(r) => Poll::Ready(r),
                None => Poll::Pending,
            },
            State::Queueing { .. } => Poll::Pending,
            State::Queued { exchange, .. } => exchange.poll_response(cx).map(Response::into_final),
        }
    }

    /// The deadline passed: `503` if the event never reached the computer,
    /// otherwise what the script set and wrote so far (S8).
    pub fn expire(&mut self) -> Response {
        match std::mem::replace(&mut self.state, State::Ready(None)) {
            State::Ready(r) => r.unwrap_or_else(|| Response::with_status(500)),
            State::Queueing { exchange, .. } => {
                exchange.finish_with_status(503);
                busy()
            }
            State::Queued { exchange, .. } => exchange
                .expire()
                .map_or_else(|| Response::with_status(500), Response::into_final),
        }
    }

    /// Block this thread until the response is ready or the deadline (the
    /// transport's response timeout) passes. Never call it on the thread
    /// that runs the computer: nothing would answer.
    pub fn wait(mut self) -> Response {
        loop {
            let deadline = match &self.state {
                State::Ready(_) => None,
                State::Queueing { since, .. } | State::Queued { since, .. } => {
                    Some(crate::deadline_after(*since, self.timeout))
                }
            };
            let queued = self.is_queued();
            match wait_until(deadline, |cx| {
                let r = self.poll(cx);
                // Once queued, the deadline restarts from the queueing time.
                if r.is_pending() && !queued && self.is_queued() {
                    return Poll::Ready(None);
                }
                r.map(Some)
            }) {
                Some(Some(response)) => return response,
                Some(None) => continue,
                None => return self.expire(),
            }
        }
    }
}

/// The answer to a computer that cannot take the request (E2, L6).
pub(crate) fn busy() -> Response {
    let mut r = Response::with_status(503);
    r.headers
        .push(("Retry-After".into(), Bytes::from_static(b"1")));
    r
}

/// `426` for a plain request on a websocket-only port (L7).
pub(crate) fn upgrade_required() -> Response {
    let mut r = Response::with_status(426);
    r.headers
        .push(("Upgrade".into(), Bytes::from_static(b"websocket")));
    r.headers
        .push(("Connection".into(), Bytes::from_static(b"Upgrade")));
    r
}

/// `413` for a body over the limit (R2): no event.
pub(crate) fn too_large() -> Response {
    let mut r = Response::with_status(413);
    r.reason = Some(Bytes::from_static(b"Content Too Large"));
    r
}
