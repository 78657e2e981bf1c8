//! The tokio + hyper 1 transport of craftos-http.
//!
//! [`HyperTransport`] implements the core's [`Listeners`] registry: each
//! `http.addListener(port)` binds a TCP listener and serves HTTP/1.1 on it
//! with hyper. A request is read in full (bounded by [`Limits::max_body`]),
//! queued to its computer as an `http_request` event, and answered when the
//! script closes the response or the response deadline passes. It decides
//! nothing a script can observe beyond what SEMANTICS.md says; the handle
//! state lives in the core's [`Exchange`](craftos_http_core::Exchange).
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//! use craftos_http_core::{Computer, ComputerId, Event, EventQueue, Listeners};
//! use craftos_http_hyper::{HyperTransport, TransportConfig};
//!
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! let transport = HyperTransport::new(runtime.handle().clone(), TransportConfig::default());
//! let queue = Arc::new(EventQueue::new(256));
//! let computer = Computer::new(ComputerId(0), queue.clone());
//! transport.add_listener(&computer, 8080).unwrap();
//! runtime.block_on(async {
//!     // Answer every request with "hello".
//!     loop {
//!         let event = std::future::poll_fn(|cx| queue.poll_pop(cx)).await;
//!         if let Some(Event::HttpRequest { exchange, .. }) = event {
//!             exchange.write(b"hello").unwrap();
//!             exchange.close().unwrap();
//!         }
//!     }
//! });
//! ```
#![deny(missing_docs)]

mod accept;
mod body;
mod clock;
mod config;
mod convert;
mod inflight;
mod port;
mod service;
mod target;
mod transport;
mod websocket;

pub use config::TransportConfig;
pub use craftos_http_core::{Limits, Listeners};
pub use transport::HyperTransport;
