//! An in-memory transport: requests and websocket messages are injected by
//! the host and answers read back in-process, with no sockets.
//!
//! It is built only on this crate's public traits and types ([`Listeners`],
//! [`EventSink`](crate::EventSink), [`Exchange`], [`WebSocketClient`], [`PortBook`]), as any
//! custom transport would be, and it keeps the same rules as the socket
//! transport: port ownership (L2, L3), `426` on a websocket-only port (L7),
//! `413` over the body limit (R2), `503` when the computer cannot take the
//! event in time (E2) or is shut down (L6), the response deadline (S8),
//! `503` over the computer's bound on request bodies held at once
//! (`Limits::max_buffered`), 1009 / 1007 for oversized or invalid messages
//! (W9), a client outbox bounded by `Limits::ws_max_outbox` (a script's
//! `send` waits until the peer takes frames with [`Frames::recv`]) and
//! coalesced pongs. What is about TCP and HTTP/1.1 framing (keep-alive,
//! `Expect`, malformed requests, `Date`, the body read timeout: bodies
//! arrive whole) has no meaning here.
//!
//! Waiting ([`PendingResponse::wait`], [`MemoryWebSocket::recv`]) blocks the
//! calling thread; call it from a thread other than the computer's, or use
//! [`PendingResponse::poll`] from the computer's own loop.
//!
//! ```
//! use std::sync::Arc;
//! use craftos_http_core::memory::MemoryTransport;
//! use craftos_http_core::{Computer, ComputerId, Event, EventQueue, Listeners, Request};
//!
//! let transport = MemoryTransport::new();
//! let queue = Arc::new(EventQueue::new(16));
//! let computer = Computer::new(ComputerId(0), queue.clone());
//! transport.add_listener(&computer, 8080).unwrap();
//!
//! let mut pending = transport
//!     .request(8080, Request::new("GET", "/", vec![], Vec::new()))
//!     .expect("a listener on 8080");
//! // The computer answers...
//! let Some(Event::HttpRequest { exchange, .. }) = queue.pop() else { unreachable!() };
//! exchange.write(b"hello").unwrap();
//! exchange.close().unwrap();
//! // ...and the host reads the response.
//! assert_eq!(&pending.wait().body[..], b"hello");
//! ```

mod http;
pub(crate) mod park;
mod websocket;

use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use bytes::Bytes;
use thiserror::Error;

pub use http::PendingResponse;
pub use park::block_on;
pub use websocket::{Frames, MemoryWebSocket, PeerError, Received};

use crate::listener::Claim;
use crate::{
    Computer, ComputerId, Event, Exchange, ListenError, Listeners, PortBook, Request,
    WebSocketClient, WebSocketServerError, WebSocketServerOptions,
};

/// Nothing listens on the port: a socket client would see its connection
/// refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("connection refused: nothing listens on port {port}")]
pub struct ConnectionRefused {
    /// The port asked for.
    pub port: u16,
}

/// What a websocket handshake led to.
pub enum Upgrade {
    /// The port's websocket server took the client; its
    /// `websocket_server_connect` is queued. The headers are the extra ones
    /// of the `101` answer (W1).
    Accepted(MemoryWebSocket, Vec<(String, Bytes)>),
    /// No websocket server on the port: the handshake was a plain request
    /// (to the port's HTTP listener, L7).
    Response(PendingResponse),
}

/// The in-memory transport: a listener registry and the host's injection
/// points. Cheap to clone; clones share the registry.
#[derive(Clone, Default)]
pub struct MemoryTransport {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Origins websocket handshakes are accepted from (W10); `None`: any.
    origins: Option<Vec<String>>,
    ports: Mutex<PortBook<Port>>,
    open: Mutex<HashMap<ComputerId, Arc<Open>>>,
}

/// What a computer serves on one port.
struct Port {
    computer: Computer,
    http: bool,
    ws: Option<WebSocketServerOptions>,
}

/// A computer's requests and websocket clients still open, for L6.
#[derive(Default)]
pub(crate) struct Open {
    exchanges: Mutex<Vec<Weak<Exchange>>>,
    clients: Mutex<Vec<Weak<WebSocketClient>>>,
    /// Request body bytes held for the computer (`Limits::max_buffered`).
    buffered: Arc<AtomicUsize>,
}

impl Open {
    fn track(&self, exchange: &Arc<Exchange>) {
        let mut list = lock(&self.exchanges);
        list.retain(|e| e.upgrade().is_some_and(|e| !e.is_closed()));
        list.push(Arc::downgrade(exchange));
    }

    fn track_client(&self, client: &Arc<WebSocketClient>) {
        let mut list = lock(&self.clients);
        list.retain(|c| c.strong_count() > 0);
        list.push(Arc::downgrade(client));
    }

    /// Requests and clients open now (the memory transport's connections).
    fn count(&self) -> usize {
        let mut exchanges = lock(&self.exchanges);
        exchanges.retain(|e| e.upgrade().is_some_and(|e| !e.is_closed()));
        let mut clients = lock(&self.clients);
        clients.retain(|c| c.strong_count() > 0);
        exchanges.len() + clients.len()
    }

    pub(crate) fn forget_client(&self, client: &Arc<WebSocketClient>) {
        lock(&self.clients).retain(|c| !std::ptr::eq(c.as_ptr(), Arc::as_ptr(client)));
    }

    /// L6: `503` for every open request, 1001 for every client.
    fn release(&self) {
        for e in std::mem::take(&mut *lock(&self.exchanges)) {
            if let Some(e) = e.upgrade() {
                e.finish_with_status(503);
            }
        }
        for c in std::mem::take(&mut *lock(&self.clients)) {
            if let Some(c) = c.upgrade() {
                c.close_with(1001, b"");
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl MemoryTransport {
    /// A transport with no ports open yet. Each computer's
    /// [`Limits`](crate::Limits) apply to its own ports.
    pub fn new() -> Self {
        Self::with_origins(None)
    }

    /// A transport accepting websocket handshakes only with one of
    /// `origins` as their `Origin` header (W10; `None`: any). Others get
    /// `403` and make no event.
    pub fn with_origins(origins: Option<Vec<String>>) -> Self {
        MemoryTransport {
            inner: Arc::new(Inner {
                origins,
                ports: Mutex::new(PortBook::new()),
                open: Mutex::new(HashMap::new()),
            }),
        }
    }

    fn open_of(&self, id: ComputerId) -> Arc<Open> {
        lock(&self.inner.open).entry(id).or_default().clone()
    }

    /// What port `port` serves: the owner and whether it has an HTTP
    /// listener and a websocket server.
    fn lookup(&self, port: u16) -> Option<(Computer, bool, Option<WebSocketServerOptions>)> {
        let ports = lock(&self.inner.ports);
        let (_, owner) = ports.ports().find(|(p, _)| *p == port)?;
        let entry = ports.get(owner, port)?;
        Some((entry.computer.clone(), entry.http, entry.ws.clone()))
    }

    /// Whether something serves `port` (HTTP or websocket): what a socket
    /// client learns by connecting.
    pub fn is_listening(&self, port: u16) -> bool {
        self.lookup(port).is_some()
    }

    /// Send `request` to `port` as a client would. Requests to a
    /// websocket-only port get `426`, bodies over the limit `413` (no event);
    /// otherwise the owner gets `http_request`.
    pub fn request(
        &self,
        port: u16,
        request: Request,
    ) -> Result<PendingResponse, ConnectionRefused> {
        let (computer, http, _) = self.lookup(port).ok_or(ConnectionRefused { port })?;
        Ok(self.deliver(port, computer, http, request))
    }

    fn deliver(
        &self,
        port: u16,
        computer: Computer,
        http: bool,
        request: Request,
    ) -> PendingResponse {
        if !http {
            return PendingResponse::ready(http::upgrade_required());
        }
        let limits = &computer.limits;
        if request.body().len() > limits.max_body {
            return PendingResponse::ready(http::too_large());
        }
        let open = self.open_of(computer.id);
        if open.count() >= limits.max_connections {
            return PendingResponse::ready(http::busy());
        }
        // Bodies held at once are bounded per computer, as the socket
        // transport bounds them (an empty body holds nothing).
        let held = match request.body().len() {
            0 => None,
            len => match http::Held::take(&open.buffered, len, limits.max_buffered) {
                Some(held) => Some(held),
                None => return PendingResponse::ready(http::busy()),
            },
        };
        let exchange = Arc::new(Exchange::new(request));
        open.track(&exchange);
        PendingResponse::queue(
            port,
            exchange,
            computer.sink.clone(),
            limits.response_timeout,
            held,
        )
    }

    /// Open a websocket to `port` with the handshake `request` (its method,
    /// target and headers; the body is ignored). Goes to the port's
    /// websocket server if it has one, else it is a plain request (L7).
    /// Blocks while the computer's queue is full (E2).
    pub fn connect(&self, port: u16, request: Request) -> Result<Upgrade, ConnectionRefused> {
        let (computer, http, ws) = self.lookup(port).ok_or(ConnectionRefused { port })?;
        let Some(options) = ws else {
            return Ok(Upgrade::Response(
                self.deliver(port, computer, http, request),
            ));
        };
        if let Some(allowed) = &self.inner.origins {
            let origin = request
                .headers()
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("origin"))
                .map(|(_, value)| &value[..]);
            if !origin.is_some_and(|o| allowed.iter().any(|a| a.as_bytes() == o)) {
                return Ok(Upgrade::Response(PendingResponse::ready(
                    crate::Response::with_status(403),
                )));
            }
        }
        let open = self.open_of(computer.id);
        if open.count() >= computer.limits.max_connections {
            return Ok(Upgrade::Response(PendingResponse::ready(http::busy())));
        }
        let client = Arc::new(
            WebSocketClient::new(port, computer.limits.ws_max_message)
                .with_max_outbox(computer.limits.ws_max_outbox),
        );
        open.track_client(&client);
        let connected = Event::WebSocketConnect {
            port,
            client: client.clone(),
        };
        if !websocket::queue_blocking(&computer.sink, connected) {
            client.finish();
            open.forget_client(&client);
            return Ok(Upgrade::Response(PendingResponse::ready(
                crate::Response::with_status(503),
            )));
        }
        let peer = MemoryWebSocket::new(client, computer.sink.clone(), open);
        Ok(Upgrade::Accepted(peer, options.headers))
    }
}

impl Listeners for MemoryTransport {
    fn add_listener(&self, computer: &Computer, port: u16) -> Result<(), ListenError> {
        let mut ports = lock(&self.inner.ports);
        match ports.claim(computer.id, port) {
            Claim::Free => ports.insert(
                computer.id,
                port,
                Port {
                    computer: computer.clone(),
                    http: true,
                    ws: None,
                },
            ),
            Claim::Owned => {
                if let Some(entry) = ports.remove(computer.id, port) {
                    ports.insert(
                        computer.id,
                        port,
                        Port {
                            http: true,
                            ..entry
                        },
                    );
                }
            }
            Claim::Taken(owner) => return Err(ListenError::HeldByOtherComputer { port, owner }),
        }
        Ok(())
    }

    fn remove_listener(&self, computer: ComputerId, port: u16) {
        let mut ports = lock(&self.inner.ports);
        if let Some(entry) = ports.remove(computer, port)
            && entry.ws.is_some()
        {
            ports.insert(
                computer,
                port,
                Port {
                    http: false,
                    ..entry
                },
            );
        }
    }

    fn add_websocket_server(
        &self,
        computer: &Computer,
        port: u16,
        options: WebSocketServerOptions,
    ) -> Result<(), WebSocketServerError> {
        let mut ports = lock(&self.inner.ports);
        match ports.claim(computer.id, port) {
            Claim::Free => ports.insert(
                computer.id,
                port,
                Port {
                    computer: computer.clone(),
                    http: false,
                    ws: Some(options),
                },
            ),
            Claim::Owned => {
                let entry = ports.remove(computer.id, port).expect("owned");
                if entry.ws.is_some() {
                    ports.insert(computer.id, port, entry);
                    return Err(WebSocketServerError::AlreadyServing);
                }
                ports.insert(
                    computer.id,
                    port,
                    Port {
                        ws: Some(options),
                        ..entry
                    },
                );
            }
            Claim::Taken(owner) => {
                return Err(ListenError::HeldByOtherComputer { port, owner }.into());
            }
        }
        Ok(())
    }

    fn remove_websocket_server(&self, computer: ComputerId, port: u16) {
        let mut ports = lock(&self.inner.ports);
        if let Some(entry) = ports.remove(computer, port)
            && entry.http
        {
            ports.insert(computer, port, Port { ws: None, ..entry });
        }
    }

    fn release(&self, computer: ComputerId) {
        drop(lock(&self.inner.ports).release(computer));
        let open = lock(&self.inner.open).remove(&computer);
        if let Some(open) = open {
            open.release();
        }
    }
}

impl std::fmt::Debug for MemoryTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ports: Vec<_> = lock(&self.inner.ports).ports().collect();
        f.debug_struct("MemoryTransport")
            .field("ports", &ports)
            .finish()
    }
}

#[cfg(test)]
mod tests;
