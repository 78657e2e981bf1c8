//! Requests a computer has been sent but not yet answered, so that shutting
//! the computer down can answer them with 503 (L6).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use craftos_http_core::Exchange;
use tokio::sync::Notify;

/// The open exchanges of one computer.
#[derive(Default)]
pub(crate) struct InFlight {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Exchange>>>,
}

impl InFlight {
    /// Track `exchange` until the returned guard is dropped.
    pub(crate) fn track(self: &Arc<Self>, exchange: Arc<Exchange>) -> Tracked {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, exchange);
        Tracked {
            set: self.clone(),
            id,
        }
    }

    /// Answer every open exchange with `status` (those the script already
    /// closed are being sent and are left alone).
    pub(crate) fn finish_all(&self, status: u16) -> usize {
        let open: Vec<_> = self.lock().drain().map(|(_, e)| e).collect();
        open.iter().filter(|e| e.finish_with_status(status)).count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Exchange>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Removes its exchange from the set when the request is done.
pub(crate) struct Tracked {
    set: Arc<InFlight>,
    id: u64,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.set.lock().remove(&self.id);
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
