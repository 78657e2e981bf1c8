//! What one bound port serves: an HTTP listener, a websocket server, or both
//! (L7). Connections read it for every request, so a listener or server
//! added or removed later takes effect at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use hyper::header::{HeaderName, HeaderValue};

/// A websocket server's settings.
pub(crate) struct WsServer {
    /// Extra headers of the handshake answer (W1).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

/// The services of one port.
#[derive(Default)]
pub(crate) struct PortState {
    http: AtomicBool,
    ws: RwLock<Option<Arc<WsServer>>>,
}

impl PortState {
    pub(crate) fn http(&self) -> bool {
        self.http.load(Ordering::Acquire)
    }

    pub(crate) fn set_http(&self, on: bool) {
        self.http.store(on, Ordering::Release);
    }

    pub(crate) fn ws(&self) -> Option<Arc<WsServer>> {
        self.ws.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set_ws(&self, server: Option<Arc<WsServer>>) {
        *self.ws.write().unwrap_or_else(|e| e.into_inner()) = server;
    }

    /// Whether the port serves nothing any more (it can be closed).
    pub(crate) fn is_idle(&self) -> bool {
        !self.http() && self.ws().is_none()
    }
}
