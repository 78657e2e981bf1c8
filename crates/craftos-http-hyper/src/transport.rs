//! The listener registry on tokio: bind, spawn the accept loop, stop it.

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use craftos_http_core::{Claim, Computer, ComputerId, ListenError, Listeners, PortBook};
use socket2::{Domain, Protocol, Socket, Type};
use tokio::runtime::Handle;
use tokio::sync::watch;

use crate::accept::{Listener, accept_loop};
use crate::config::TransportConfig;
use crate::inflight::{Connections, InFlight};

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
    state: Mutex<State>,
    connections: Arc<Connections>,
}

#[derive(Default)]
struct State {
    ports: PortBook<Bound>,
    inflight: HashMap<ComputerId, Arc<InFlight>>,
}

/// A bound port. Dropping it stops listening at once: the socket stops
/// accepting (so the port can be bound again right away), the accept loop
/// ends, and its connections finish what is in flight, then close (L5).
struct Bound {
    socket: Socket,
    _stop: watch::Sender<()>,
}

impl Drop for Bound {
    fn drop(&mut self) {
        // The accept loop owns a duplicate of this descriptor and closes it
        // when it next runs; shutting the socket down takes it out of the
        // LISTEN state now, which frees the port for a new bind.
        let _ = self.socket.shutdown(Shutdown::Both);
    }
}

impl HyperTransport {
    /// A transport spawning its tasks on `runtime`.
    pub fn new(runtime: Handle, config: TransportConfig) -> Self {
        HyperTransport {
            shared: Arc::new(Shared {
                runtime,
                config,
                state: Mutex::new(State::default()),
                connections: Arc::default(),
            }),
        }
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &TransportConfig {
        &self.shared.config
    }

    /// Wait until every connection has closed (after [`Listeners::release`]
    /// or [`Listeners::remove_listener`], connections finish their requests
    /// and close). Bound it with a timeout.
    pub async fn wait_idle(&self) {
        self.shared.connections.idle().await
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bind(&self, port: u16) -> std::io::Result<(Socket, tokio::net::TcpListener)> {
        let addr = SocketAddr::new(self.shared.config.bind, port);
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
        socket.set_reuse_address(true)?;
        if addr.is_ipv6() {
            socket.set_only_v6(false).ok();
        }
        socket.bind(&addr.into())?;
        socket.listen(1024)?;
        socket.set_nonblocking(true)?;
        let serving: std::net::TcpListener = socket.try_clone()?.into();
        let _enter = self.shared.runtime.enter();
        Ok((socket, tokio::net::TcpListener::from_std(serving)?))
    }
}

impl Listeners for HyperTransport {
    fn add_listener(&self, computer: &Computer, port: u16) -> Result<(), ListenError> {
        let mut state = self.state();
        match state.ports.claim(computer.id, port) {
            Claim::Owned => return Ok(()),
            Claim::Taken(owner) => return Err(ListenError::HeldByOtherComputer { port, owner }),
            Claim::Free => {}
        }
        let (socket, tcp) = self.bind(port)?;
        let (stop, stopped) = watch::channel(());
        let inflight = state.inflight.entry(computer.id).or_default().clone();
        let listener = Arc::new(Listener {
            port,
            computer: computer.clone(),
            limits: self.shared.config.limits.clone(),
            inflight,
            connections: self.shared.connections.clone(),
        });
        tracing::debug!(port, computer = %computer.id, "listening");
        self.shared
            .runtime
            .spawn(accept_loop(tcp, listener, stopped));
        state.ports.insert(
            computer.id,
            port,
            Bound {
                socket,
                _stop: stop,
            },
        );
        Ok(())
    }

    fn remove_listener(&self, computer: ComputerId, port: u16) {
        let removed = self.state().ports.remove(computer, port);
        if removed.is_some() {
            tracing::debug!(port, %computer, "listener removed");
        }
    }

    fn release(&self, computer: ComputerId) {
        let (released, inflight) = {
            let mut state = self.state();
            (
                state.ports.release(computer),
                state.inflight.remove(&computer),
            )
        };
        let answered = inflight.map_or(0, |set| set.finish_all(503));
        tracing::debug!(%computer, listeners = released.len(), answered, "released");
    }
}
