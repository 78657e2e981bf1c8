//! The listener registry on tokio: bind, spawn the accept loop, stop it.

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use craftos_http_core::{
    Claim, Computer, ComputerId, ListenError, Listeners, PortBook, WebSocketServerError,
    WebSocketServerOptions,
};
use hyper::header::{HeaderName, HeaderValue};
use socket2::{Domain, Protocol, Socket, Type};
use tokio::runtime::Handle;
use tokio::sync::watch;

use crate::accept::{Listener, accept_loop};
use crate::config::TransportConfig;
use crate::inflight::{Connections, InFlight};
use crate::port::{PortState, WsServer};

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
    services: Arc<PortState>,
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
    ///
    /// Ports are bound at once, on the caller's thread; the accept loops
    /// and connections are tasks of `runtime`, so **it must be running
    /// them** for requests to be served: a multi-thread runtime does so on
    /// its workers; a current-thread runtime only while a thread is inside
    /// its `block_on` (one merely built, or whose `block_on` returned,
    /// accepts connections in the kernel and never reads them: requests
    /// hang). Drive such a runtime from a thread of its own, or run the
    /// computers inside its `block_on`, as the runner does
    /// (`docs/cookbook.md`, "HyperTransport and its runtime").
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

impl HyperTransport {
    /// Bind `port` for `computer` and start accepting, serving `services`.
    fn open(
        &self,
        state: &mut State,
        computer: &Computer,
        port: u16,
        services: PortState,
    ) -> Result<(), ListenError> {
        let (socket, tcp) = self.bind(port)?;
        let (stop, stopped) = watch::channel(());
        let services = Arc::new(services);
        let inflight = state.inflight.entry(computer.id).or_default().clone();
        let listener = Arc::new(Listener {
            port,
            computer: computer.clone(),
            limits: computer.limits.clone(),
            services: services.clone(),
            origins: self.shared.config.ws_origins.clone(),
            inflight,
            connections: self.shared.connections.clone(),
        });
        tracing::info!(port, computer = computer.id.0, address = %SocketAddr::new(self.shared.config.bind, port), "listening");
        self.shared
            .runtime
            .spawn(accept_loop(tcp, listener, stopped));
        state.ports.insert(
            computer.id,
            port,
            Bound {
                socket,
                services,
                _stop: stop,
            },
        );
        Ok(())
    }

    /// Drop `port` if it serves nothing any more.
    fn close_if_idle(state: &mut State, computer: ComputerId, port: u16) {
        if state
            .ports
            .get(computer, port)
            .is_some_and(|b| b.services.is_idle())
        {
            state.ports.remove(computer, port);
            tracing::debug!(port, computer = computer.0, "port closed");
        }
    }
}

impl Listeners for HyperTransport {
    fn add_listener(&self, computer: &Computer, port: u16) -> Result<(), ListenError> {
        let mut state = self.state();
        match state.ports.claim(computer.id, port) {
            Claim::Owned => {
                // L2, or an HTTP listener joining this computer's websocket
                // server on the port (L7).
                if let Some(bound) = state.ports.get(computer.id, port) {
                    bound.services.set_http(true);
                }
                Ok(())
            }
            Claim::Taken(owner) => Err(ListenError::HeldByOtherComputer { port, owner }),
            Claim::Free => {
                let services = PortState::default();
                services.set_http(true);
                self.open(&mut state, computer, port, services)
            }
        }
    }

    fn remove_listener(&self, computer: ComputerId, port: u16) {
        let mut state = self.state();
        if let Some(bound) = state.ports.get(computer, port) {
            bound.services.set_http(false);
            tracing::debug!(port, computer = computer.0, "listener removed");
        }
        Self::close_if_idle(&mut state, computer, port);
    }

    fn add_websocket_server(
        &self,
        computer: &Computer,
        port: u16,
        options: WebSocketServerOptions,
    ) -> Result<(), WebSocketServerError> {
        let server = Arc::new(WsServer {
            headers: options
                .headers
                .iter()
                .filter_map(|(n, v)| {
                    Some((
                        HeaderName::from_bytes(n.as_bytes()).ok()?,
                        HeaderValue::from_maybe_shared(v.clone()).ok()?,
                    ))
                })
                .collect(),
        });
        let mut state = self.state();
        match state.ports.claim(computer.id, port) {
            Claim::Owned => {
                let bound = state.ports.get(computer.id, port).expect("owned port");
                if bound.services.ws().is_some() {
                    return Err(WebSocketServerError::AlreadyServing);
                }
                bound.services.set_ws(Some(server));
                Ok(())
            }
            Claim::Taken(owner) => Err(ListenError::HeldByOtherComputer { port, owner }.into()),
            Claim::Free => {
                let services = PortState::default();
                services.set_ws(Some(server));
                Ok(self.open(&mut state, computer, port, services)?)
            }
        }
    }

    fn remove_websocket_server(&self, computer: ComputerId, port: u16) {
        let mut state = self.state();
        if let Some(bound) = state.ports.get(computer, port) {
            bound.services.set_ws(None);
            tracing::debug!(port, computer = computer.0, "websocket server removed");
        }
        Self::close_if_idle(&mut state, computer, port);
    }

    fn release(&self, computer: ComputerId) {
        let (released, inflight) = {
            let mut state = self.state();
            (
                state.ports.release(computer),
                state.inflight.remove(&computer),
            )
        };
        let (answered, closed) =
            inflight.map_or((0, 0), |set| (set.finish_all(503), set.close_clients()));
        tracing::debug!(
            computer = computer.0,
            ports = released.len(),
            answered,
            closed,
            "released"
        );
    }
}
