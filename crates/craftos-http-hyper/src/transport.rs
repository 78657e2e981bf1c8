//! The listener registry on tokio: bind, spawn the accept loop, stop it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use craftos_http_core::{Claim, Computer, ComputerId, ListenError, Listeners, PortBook};
use tokio::runtime::Handle;
use tokio::sync::watch;

use crate::accept::{Listener, accept_loop};
use crate::config::TransportConfig;

/// Serves the listeners of any number of computers on one tokio runtime.
///
/// Cheap to clone; every clone shares the same ports.
#[derive(Clone)]
pub struct HyperTransport {
    shared: Arc<Shared>,
}

struct Shared {
    runtime: Handle,
    config: TransportConfig,
    ports: Mutex<PortBook<Stop>>,
}

/// Dropping it stops the listener's accept loop and lets its connections
/// finish what is in flight, then close (L5).
struct Stop(#[allow(dead_code)] watch::Sender<()>);

impl HyperTransport {
    /// A transport spawning its tasks on `runtime`.
    pub fn new(runtime: Handle, config: TransportConfig) -> Self {
        HyperTransport {
            shared: Arc::new(Shared {
                runtime,
                config,
                ports: Mutex::new(PortBook::new()),
            }),
        }
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &TransportConfig {
        &self.shared.config
    }

    fn ports(&self) -> MutexGuard<'_, PortBook<Stop>> {
        self.shared.ports.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Listeners for HyperTransport {
    fn add_listener(&self, computer: &Computer, port: u16) -> Result<(), ListenError> {
        let mut ports = self.ports();
        match ports.claim(computer.id, port) {
            Claim::Owned => return Ok(()),
            Claim::Taken(owner) => return Err(ListenError::HeldByOtherComputer { port, owner }),
            Claim::Free => {}
        }
        let addr = SocketAddr::new(self.shared.config.bind, port);
        let std_listener = std::net::TcpListener::bind(addr)?;
        std_listener.set_nonblocking(true)?;
        let tcp = {
            let _enter = self.shared.runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let (stop, stopped) = watch::channel(());
        let listener = Arc::new(Listener {
            port,
            computer: computer.clone(),
            limits: self.shared.config.limits.clone(),
        });
        tracing::debug!(%addr, computer = %computer.id, "listening");
        self.shared.runtime.spawn(accept_loop(tcp, listener, stopped));
        ports.insert(computer.id, port, Stop(stop));
        Ok(())
    }

    fn remove_listener(&self, computer: ComputerId, port: u16) {
        if self.ports().remove(computer, port).is_some() {
            tracing::debug!(port, %computer, "listener removed");
        }
    }

    fn release(&self, computer: ComputerId) {
        let released = self.ports().release(computer);
        tracing::debug!(%computer, count = released.len(), "released listeners");
    }
}
