//! Events a transport queues to a computer.

use std::sync::Arc;

use crate::exchange::Exchange;

/// A native event for a computer, produced by a transport.
///
/// The Lua binding turns each into the values of a ComputerCraft event
/// (`"http_request", port, request, response`). `server_stop` is not here: it
/// is queued by scripts, not by transports.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// `http_request`: a request arrived on a listener of this computer.
    HttpRequest {
        /// The listener's port.
        port: u16,
        /// The request and its pending response.
        exchange: Arc<Exchange>,
    },
}

impl Event {
    /// An `http_request` event.
    pub fn http_request(port: u16, exchange: Arc<Exchange>) -> Self {
        Event::HttpRequest { port, exchange }
    }

    /// The ComputerCraft event name.
    pub fn name(&self) -> &'static str {
        match self {
            Event::HttpRequest { .. } => "http_request",
        }
    }

    /// Answer the event's request, if any, with `status` and no body: used
    /// when an event is dropped unseen (a computer shutting down).
    pub fn abandon(self, status: u16) {
        match self {
            Event::HttpRequest { exchange, .. } => {
                exchange.finish_with_status(status);
            }
        }
    }
}
