//! Events a transport queues to a computer.

use std::sync::Arc;

use bytes::Bytes;

use crate::exchange::Exchange;
use crate::websocket::{CloseInfo, WebSocketClient};

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
    /// `websocket_server_connect`: a client connected to a websocket server.
    WebSocketConnect {
        /// The server's port.
        port: u16,
        /// The new client.
        client: Arc<WebSocketClient>,
    },
    /// `websocket_server_message`: a whole message from a client.
    WebSocketMessage {
        /// The client.
        client: Arc<WebSocketClient>,
        /// The message, reassembled from its fragments.
        message: Bytes,
        /// Whether it was a binary message.
        binary: bool,
    },
    /// `websocket_server_send_ready`: a client whose outbox was too full for
    /// a `send` has taken enough of it; the waiting `send` tries again
    /// ([`WebSocketClient::take_send_ready`]). Queued only while a `send`
    /// waits.
    WebSocketSendReady {
        /// The client.
        client: Arc<WebSocketClient>,
    },
    /// `websocket_server_closed`: the client's connection ended (last event
    /// of the client, E1).
    WebSocketClosed {
        /// The client.
        client: Arc<WebSocketClient>,
        /// The close code and reason, when known (W8).
        close: CloseInfo,
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
            Event::WebSocketConnect { .. } => "websocket_server_connect",
            Event::WebSocketMessage { .. } => "websocket_server_message",
            Event::WebSocketSendReady { .. } => "websocket_server_send_ready",
            Event::WebSocketClosed { .. } => "websocket_server_closed",
        }
    }

    /// Answer what the event left pending, when it is dropped unseen (a
    /// computer shutting down, L6): the request gets `status` and no body, a
    /// new websocket client is closed with 1001.
    pub fn abandon(self, status: u16) {
        match self {
            Event::HttpRequest { exchange, .. } => {
                exchange.finish_with_status(status);
            }
            Event::WebSocketConnect { client, .. } => client.close_with(1001, b""),
            Event::WebSocketMessage { .. }
            | Event::WebSocketSendReady { .. }
            | Event::WebSocketClosed { .. } => {}
        }
    }
}
