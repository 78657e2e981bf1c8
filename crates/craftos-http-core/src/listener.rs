//! The listener registry: which computer owns which port.

use std::collections::HashMap;
use std::io;

use thiserror::Error;

use crate::computer::{Computer, ComputerId};
use crate::websocket::WebSocketServerOptions;

/// Why a listener could not be added.
#[derive(Debug, Error)]
pub enum ListenError {
    /// Another computer of the same host holds the port (L3).
    #[error("Address already in use (port {port} is held by {owner})")]
    HeldByOtherComputer {
        /// The port asked for.
        port: u16,
        /// The computer holding it.
        owner: ComputerId,
    },
    /// The transport could not bind the port (another process holds it,
    /// no permission, ...).
    #[error("{0}")]
    Bind(#[from] io::Error),
}

/// Why a websocket server could not be started (W1).
#[derive(Debug, Error)]
pub enum WebSocketServerError {
    /// This computer already has a websocket server on the port.
    #[error("Port already in use")]
    AlreadyServing,
    /// The port could not be had (another computer or process, ...).
    #[error(transparent)]
    Listen(#[from] ListenError),
}

/// A transport's listener registry: `http.addListener`,
/// `http.removeListener`, and releasing everything a computer holds.
///
/// Implementations must not block (bind synchronously, serve elsewhere).
pub trait Listeners: Send + Sync + 'static {
    /// Start serving `port` for `computer`. Re-adding a port the computer
    /// already listens on succeeds and changes nothing (L2).
    fn add_listener(&self, computer: &Computer, port: u16) -> Result<(), ListenError>;

    /// Stop accepting on `port` if `computer` listens there (L5); requests in
    /// flight still get their responses. Unknown ports are ignored.
    fn remove_listener(&self, computer: ComputerId, port: u16);

    /// Start a websocket server on `port` for `computer` (W1). The port may
    /// also carry this computer's HTTP listener (L7).
    fn add_websocket_server(
        &self,
        computer: &Computer,
        port: u16,
        options: WebSocketServerOptions,
    ) -> Result<(), WebSocketServerError>;

    /// Stop accepting websocket clients on `port` (W3); connected clients
    /// keep working. Unknown ports are ignored.
    fn remove_websocket_server(&self, computer: ComputerId, port: u16);

    /// Release every port `computer` holds (shutdown or reboot, L6): its
    /// unanswered requests get 503 and its websocket clients a close 1001.
    fn release(&self, computer: ComputerId);
}

/// What [`PortBook::claim`] found for a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Nobody holds it: bind it, then [`PortBook::insert`].
    Free,
    /// This computer already holds it (L2: nothing to do).
    Owned,
    /// Another computer holds it (L3).
    Taken(ComputerId),
}

/// Port ownership for a transport: port -> (owner, the transport's own data,
/// e.g. the handle that stops its accept loop). One book per host keeps L2
/// and L3 identical across transports.
#[derive(Debug)]
pub struct PortBook<T> {
    ports: HashMap<u16, (ComputerId, T)>,
}

impl<T> Default for PortBook<T> {
    fn default() -> Self {
        PortBook {
            ports: HashMap::new(),
        }
    }
}

impl<T> PortBook<T> {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Who holds `port`, from `computer`'s point of view.
    pub fn claim(&self, computer: ComputerId, port: u16) -> Claim {
        match self.ports.get(&port) {
            None => Claim::Free,
            Some((owner, _)) if *owner == computer => Claim::Owned,
            Some((owner, _)) => Claim::Taken(*owner),
        }
    }

    /// Record that `computer` now holds `port`.
    pub fn insert(&mut self, computer: ComputerId, port: u16, data: T) {
        self.ports.insert(port, (computer, data));
    }

    /// The data of `port` if `computer` holds it.
    pub fn get(&self, computer: ComputerId, port: u16) -> Option<&T> {
        match self.ports.get(&port) {
            Some((owner, data)) if *owner == computer => Some(data),
            _ => None,
        }
    }

    /// Remove `port` if `computer` holds it.
    pub fn remove(&mut self, computer: ComputerId, port: u16) -> Option<T> {
        match self.ports.get(&port) {
            Some((owner, _)) if *owner == computer => self.ports.remove(&port).map(|(_, d)| d),
            _ => None,
        }
    }

    /// Remove and return every port `computer` holds.
    pub fn release(&mut self, computer: ComputerId) -> Vec<(u16, T)> {
        let ports: Vec<u16> = self
            .ports
            .iter()
            .filter(|(_, (owner, _))| *owner == computer)
            .map(|(p, _)| *p)
            .collect();
        ports
            .into_iter()
            .filter_map(|p| self.ports.remove(&p).map(|(_, d)| (p, d)))
            .collect()
    }

    /// Every held port.
    pub fn ports(&self) -> impl Iterator<Item = (u16, ComputerId)> + '_ {
        self.ports.iter().map(|(p, (c, _))| (*p, *c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ownership_rules() {
        let (a, b) = (ComputerId(1), ComputerId(2));
        let mut book = PortBook::new();
        assert_eq!(book.claim(a, 80), Claim::Free);
        book.insert(a, 80, "a80");
        book.insert(a, 81, "a81");
        assert_eq!(book.claim(a, 80), Claim::Owned);
        assert_eq!(book.claim(b, 80), Claim::Taken(a));
        assert_eq!(book.remove(b, 80), None, "b cannot remove a's port");
        assert_eq!(book.remove(a, 80), Some("a80"));
        book.insert(b, 90, "b90");
        let mut released = book.release(a);
        released.sort();
        assert_eq!(released, vec![(81, "a81")]);
        assert_eq!(book.claim(a, 90), Claim::Taken(b));
    }
}
