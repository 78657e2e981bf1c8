//! Per-computer limits, with the defaults of SEMANTICS.md.

use std::time::Duration;

/// The limits a host applies to a computer's servers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body accepted; larger ones get `413` and no event (R2).
    /// Default 16 MiB.
    pub max_body: usize,
    /// How long after its event was queued a response may stay open before
    /// the transport sends what was written (S8). Default 15 s.
    pub response_timeout: Duration,
    /// Pending events per computer before back-pressure (E2). Default 256.
    pub event_bound: usize,
    /// Largest WebSocket message, either way (W5, W9). Default 131072.
    pub ws_max_message: usize,
    /// Open connections (HTTP and websocket) to the computer's ports at
    /// once; more are answered `503` and closed. Default 4096.
    pub max_connections: usize,
    /// Longest a request body may go without sending a byte while it is
    /// read; a body that stalls longer is answered `408` (no event) and its
    /// connection closed. Default 30 s.
    pub body_read_timeout: Duration,
    /// Request body bytes the computer's servers hold at once: bodies being
    /// received plus those whose response is not sent yet. A body that would
    /// go over it is answered `503` (no event) and its connection closed.
    /// Keep it at least `max_body`, or bodies between the two never get
    /// through. Default 64 MiB.
    pub max_buffered: usize,
    /// Bytes of messages queued to one websocket client and not yet written
    /// to its connection before `send` waits for the client to take them
    /// (W5). A message always fits once the queue is empty, so any message
    /// within `ws_max_message` can be sent. Default 1 MiB.
    pub ws_max_outbox: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 16 * 1024 * 1024,
            response_timeout: Duration::from_secs(15),
            event_bound: 256,
            ws_max_message: 131_072,
            max_connections: 4096,
            body_read_timeout: Duration::from_secs(30),
            max_buffered: 64 * 1024 * 1024,
            ws_max_outbox: 1024 * 1024,
        }
    }
}

/// `now + timeout`, or a century from now when that cannot be represented
/// (a host may configure `Duration::MAX` to mean "never").
pub fn deadline_after(now: std::time::Instant, timeout: Duration) -> std::time::Instant {
    now.checked_add(timeout)
        .or_else(|| now.checked_add(FAR))
        .unwrap_or(now)
}

/// A century: what "never" is when a deadline cannot be represented.
const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
