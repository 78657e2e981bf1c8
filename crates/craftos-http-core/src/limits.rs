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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 16 * 1024 * 1024,
            response_timeout: Duration::from_secs(15),
            event_bound: 256,
            ws_max_message: 131_072,
            max_connections: 4096,
        }
    }
}
