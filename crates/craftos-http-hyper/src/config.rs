//! Transport configuration.

use std::net::{IpAddr, Ipv4Addr};

use craftos_http_core::Limits;

/// How a [`HyperTransport`](crate::HyperTransport) binds and what it accepts.
#[derive(Clone, Debug)]
pub struct TransportConfig {
    /// The address listeners bind (L4). Default `127.0.0.1`.
    pub bind: IpAddr,
    /// Body size, response deadline and queue bound.
    pub limits: Limits,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            limits: Limits::default(),
        }
    }
}
