//! What a computer has open on the transport: requests sent to it but not yet
//! answered, and its websocket clients, so that shutting the computer down
//! can answer the requests with 503 and close the clients with 1001 (L6).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use craftos_http_core::{ClientId, Exchange, WebSocketClient};
use slab::Slab;
use tokio::sync::Notify;

use crate::clock::ConnectionClock;

use crate::target::RawTargets;

/// The open exchanges and websocket clients of one computer.
#[derive(Default)]
pub(crate) struct InFlight {
    /// Open connections (HTTP and websocket) to the computer's ports.
    connected: Arc<AtomicUsize>,
    /// Request body bytes held (being read, or waiting for the response):
    /// bounded by `Limits::max_buffered`.
    pub(crate) buffered: AtomicUsize,
    /// Exchanges queued or being answered, by slot: a request costs an
    /// uncontended lock and a vector slot, no hashing.
    open: Mutex<Slab<Arc<Exchange>>>,
    clients: Mutex<HashMap<ClientId, Arc<WebSocketClient>>>,
}

impl InFlight {
    /// Count a new connection unless `max` are open already.
    pub(crate) fn connect(&self, max: usize) -> Option<ConnectionSlot> {
        self.connected
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| ConnectionSlot {
                count: self.connected.clone(),
                targets: RawTargets::default(),
                clock: ConnectionClock::new(),
            })
    }

    /// Track `exchange` until the returned guard is dropped.
    pub(crate) fn track(self: &Arc<Self>, exchange: Arc<Exchange>) -> Tracked {
        let identity = Arc::as_ptr(&exchange) as usize;
        let key = self.lock().insert(exchange);
        Tracked {
            set: self.clone(),
            key,
            identity,
        }
    }

    /// Answer every open exchange with `status` (those the script already
    /// closed are being sent and are left alone).
    pub(crate) fn finish_all(&self, status: u16) -> usize {
        let open: Vec<_> = self.lock().drain().collect();
        open.iter().filter(|e| e.finish_with_status(status)).count()
    }

    /// Track a websocket client until [`InFlight::forget_client`].
    pub(crate) fn track_client(&self, client: Arc<WebSocketClient>) {
        self.clients_lock().insert(client.id(), client);
    }

    /// Stop tracking a client whose connection ended.
    pub(crate) fn forget_client(&self, id: ClientId) {
        self.clients_lock().remove(&id);
    }

    /// Close every client with 1001 (going away).
    pub(crate) fn close_clients(&self) -> usize {
        let clients: Vec<_> = self.clients_lock().drain().map(|(_, c)| c).collect();
        for c in &clients {
            c.close_with(1001, b"");
        }
        clients.len()
    }

    fn clients_lock(&self) -> std::sync::MutexGuard<'_, HashMap<ClientId, Arc<WebSocketClient>>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slab<Arc<Exchange>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Removes its exchange from the set when the request is done.
pub(crate) struct Tracked {
    set: Arc<InFlight>,
    key: usize,
    /// The exchange's address, to tell it from a later one under `key`.
    identity: usize,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // `finish_all` may have drained the slab (and it may hold another
        // exchange under this key since): only ours is removed.
        let mut open = self.set.lock();
        if open
            .get(self.key)
            .is_some_and(|e| Arc::as_ptr(e) as usize == self.identity)
        {
            open.remove(self.key);
        }
    }
}

/// Counts live connections, so a host can wait for them to finish.
#[derive(Default)]
pub(crate) struct Connections {
    live: AtomicUsize,
    idle: Notify,
}

impl Connections {
    /// Count a connection until the guard is dropped.
    pub(crate) fn enter(self: &Arc<Self>) -> ConnectionGuard {
        self.live.fetch_add(1, Ordering::SeqCst);
        ConnectionGuard(self.clone())
    }

    /// Wait until no connection is live.
    pub(crate) async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.live.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// One live connection.
pub(crate) struct ConnectionGuard(Arc<Connections>);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if self.0.live.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// One of a computer's connections, counted until dropped, with what it
/// read of its absolute-form request targets.
pub(crate) struct ConnectionSlot {
    count: Arc<AtomicUsize>,
    /// The connection's absolute-form targets as sent (R3).
    pub(crate) targets: RawTargets,
    /// Its response deadline and idle limit.
    pub(crate) clock: ConnectionClock,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::AcqRel);
    }
}
