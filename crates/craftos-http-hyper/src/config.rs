//! Transport configuration.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

/// How a [`HyperTransport`](crate::HyperTransport) binds and what it accepts.
/// The limits are each computer's own ([`Computer::limits`](craftos_http_core::Computer::limits)).
#[derive(Clone, Debug)]
pub struct TransportConfig {
    /// The address listeners bind (L4). Default `127.0.0.1`.
    pub bind: IpAddr,
    /// Origins websocket handshakes are accepted from (W10); `None`: any.
    pub ws_origins: Option<Arc<[String]>>,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            ws_origins: None,
        }
    }
}
